import { flashSaleKeys } from '@flashsale/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { OrderConfig } from '../config/order.config';
import { SALE_REDIS } from '../redis/sale-redis.module';
import type { CreateSaleDto } from './create-sale.dto';
import { FlashSaleEntity } from './flash-sale.entity';
import type { SaleDto, SaleOrderCountsDto } from './sale.dto';
import { InvalidSaleWindowError, SaleNotFoundError } from './sale.errors';

/**
 * Flash sales: the row of record in PostgreSQL and the live counters the purchase gate works on in
 * Redis (`flashSaleKeys`: stock, meta with the window and limit, buyers, released).
 */
@Injectable()
export class SaleService {
  /** Sales never change once created, so the purchase consumer can keep them (no DB read per order). */
  private readonly cache = new Map<string, FlashSaleEntity>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SALE_REDIS) private readonly redis: Redis,
    private readonly config: OrderConfig,
  ) {}

  /**
   * Inserts the sale and sets its counters. The Redis write happens inside the database transaction,
   * so a failed Redis write leaves no sale behind; if the commit fails after it, the counters are
   * deleted again, since the gate would otherwise admit buyers of a sale the database does not know.
   */
  async create(dto: CreateSaleDto): Promise<SaleDto> {
    if (dto.endsAt.getTime() <= dto.startsAt.getTime()) throw new InvalidSaleWindowError();
    let keys: ReturnType<typeof flashSaleKeys> | undefined;
    try {
      const sale = await this.dataSource.transaction(async (manager) => {
        const row = await manager.save(
          manager.create(FlashSaleEntity, {
            sku: dto.sku,
            title: dto.title,
            priceCents: dto.priceCents,
            quantity: dto.quantity,
            perUserLimit: dto.perUserLimit,
            startsAt: dto.startsAt,
            endsAt: dto.endsAt,
          }),
        );
        keys = flashSaleKeys(row.id, this.config.SALE_KEY_PREFIX);
        await this.redis
          .multi()
          .del(keys.buyers, keys.released)
          .set(keys.stock, row.quantity)
          .hset(keys.meta, {
            startsAt: row.startsAt.getTime(),
            endsAt: row.endsAt.getTime(),
            perUserLimit: row.perUserLimit,
            // Not part of the shared layout: lets the gate name the product without a database read.
            sku: row.sku,
          })
          .exec();
        return row;
      });
      return this.toDto(sale, sale.quantity, { created: 0, paid: 0, closed: 0, cancelled: 0 });
    } catch (error) {
      if (keys) await this.redis.del(keys.stock, keys.meta).catch(() => undefined);
      throw error;
    }
  }

  /** The sale with its live figures: units left in Redis, orders by status from the database. */
  async describe(saleId: string): Promise<SaleDto> {
    const sale = await this.find(saleId);
    const keys = flashSaleKeys(saleId, this.config.SALE_KEY_PREFIX);
    const [stock, rows] = await Promise.all([
      this.redis.get(keys.stock),
      this.dataSource.query<{ status: string; count: number }[]>(
        `SELECT status, count(*)::int AS count FROM purchase_order WHERE sale_id = $1 GROUP BY status`,
        [saleId],
      ),
    ]);
    const count = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
    return this.toDto(sale, stock === null ? null : Number(stock), {
      created: count('CREATED'),
      paid: count('PAID'),
      closed: count('CLOSED'),
      cancelled: count('CANCELLED'),
    });
  }

  /** The sale row; throws SaleNotFoundError. */
  async find(saleId: string): Promise<FlashSaleEntity> {
    const cached = this.cache.get(saleId);
    if (cached) return cached;
    const sale = await this.dataSource.getRepository(FlashSaleEntity).findOneBy({ id: saleId });
    if (!sale) throw new SaleNotFoundError(saleId);
    this.cache.set(saleId, sale);
    return sale;
  }

  private toDto(sale: FlashSaleEntity, remaining: number | null, orders: SaleOrderCountsDto): SaleDto {
    return {
      id: sale.id,
      sku: sale.sku,
      title: sale.title,
      priceCents: sale.priceCents,
      quantity: sale.quantity,
      perUserLimit: sale.perUserLimit,
      startsAt: sale.startsAt.toISOString(),
      endsAt: sale.endsAt.toISOString(),
      remaining,
      orders,
    };
  }
}
