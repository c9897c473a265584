import { ApiProperty } from '@nestjs/swagger';
import { type CancelReason, ORDER_STATUSES, type OrderStatus } from './order-status';
import type { PurchaseOrderEntity } from './purchase-order.entity';

export class OrderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ticket!: string | null;
  @ApiProperty({ format: 'uuid' }) saleId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() amountCents!: number;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ enum: ['BUYER', 'STOCK_DEDUCT_FAILED'], nullable: true, type: String })
  cancelReason!: CancelReason | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) paidAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;

  static from(order: PurchaseOrderEntity): OrderDto {
    return {
      id: order.id,
      ticket: order.ticket,
      saleId: order.saleId,
      userId: order.userId,
      quantity: order.quantity,
      amountCents: order.amountCents,
      status: order.status,
      cancelReason: order.cancelReason,
      createdAt: order.createdAt.toISOString(),
      paidAt: order.paidAt?.toISOString() ?? null,
      closedAt: order.closedAt?.toISOString() ?? null,
    };
  }
}
