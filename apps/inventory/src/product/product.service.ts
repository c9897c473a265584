import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StockRepository } from '../stock/stock.repository';
import { CreateProductDto } from './create-product.dto';
import { ProductEntity } from './product.entity';
import { ProductExistsError, ProductNotFoundError } from './product.errors';
import { ProductResponseDto } from './product.response.dto';

@Injectable()
export class ProductService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: StockRepository,
  ) {}

  /** Creates the product; an existing SKU is a conflict, never an overwrite of its stock of record. */
  async create(dto: CreateProductDto): Promise<ProductResponseDto> {
    // ON CONFLICT DO NOTHING rather than check-then-insert: two concurrent creates cannot both win.
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO product (sku, name, stock) VALUES ($1, $2, $3) ON CONFLICT (sku) DO NOTHING RETURNING sku`,
      [dto.sku, dto.name, dto.stock],
    );
    if (inserted.length === 0) throw new ProductExistsError(dto.sku);
    return this.get(dto.sku);
  }

  async get(sku: string): Promise<ProductResponseDto> {
    const product = await this.dataSource.getRepository(ProductEntity).findOneBy({ sku });
    if (product === null) throw new ProductNotFoundError(sku);
    const totals = await this.stock.totals(sku);
    return {
      sku: product.sku,
      name: product.name,
      stock: product.stock,
      deducted: totals.deducted,
      released: totals.released,
      updatedAt: product.updatedAt,
    };
  }
}
