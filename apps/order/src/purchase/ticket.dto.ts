import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '../order/order-status';

export const TICKET_STATUSES = ['PENDING', 'CREATED', 'FAILED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * Where a purchase stands: PENDING while its request waits in the queue (or for a ticket this service
 * never issued — it cannot tell them apart without a lookup table the spike would have to write),
 * CREATED once the order exists, FAILED when the order was cancelled because the stock could not be
 * deducted.
 */
export class TicketDto {
  @ApiProperty({ format: 'uuid' }) ticket!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: TicketStatus;
  @ApiPropertyOptional({ format: 'uuid' }) orderId?: string;
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) orderStatus?: OrderStatus;
}
