// class-transformer's @Type reads decorator metadata; these classes may load before NestJS does.
import 'reflect-metadata';
import type { OrderClosedEvent, OrderCreatedEvent } from '@flashsale/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, IsUUID, Min } from 'class-validator';

/** The ORDER_CREATED body as inventory checks it before deducting. */
export class OrderCreatedMessage implements OrderCreatedEvent {
  @IsUUID()
  orderId!: string;

  @IsString()
  @IsNotEmpty()
  saleId!: string;

  @IsString()
  @IsNotEmpty()
  sku!: string;

  @IsString()
  userId!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  quantity!: number;

  @IsString()
  createdAt!: string;
}

/** The ORDER_CLOSED body as inventory checks it before releasing. */
export class OrderClosedMessage implements OrderClosedEvent {
  @IsUUID()
  orderId!: string;

  @IsString()
  @IsNotEmpty()
  saleId!: string;

  @IsString()
  @IsNotEmpty()
  sku!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  quantity!: number;

  @IsIn(['CLOSED', 'CANCELLED'])
  status!: 'CLOSED' | 'CANCELLED';

  @IsString()
  closedAt!: string;
}
