import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_STATES, type NotificationState } from './notification-state';

export class NotificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({ example: 'PAID', description: 'The order status this notification announces' })
  status!: string;

  @ApiProperty({ enum: NOTIFICATION_STATES })
  state!: NotificationState;

  @ApiProperty({ example: 'SMS' })
  channel!: string;

  @ApiProperty({ example: 1, description: 'Delivery attempts so far' })
  attempts!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the provider accepted it',
  })
  sentAt!: Date | null;

  @ApiProperty({ type: String, nullable: true })
  providerMessageId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed' })
  lastError!: string | null;
}
