import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotificationRepository } from './notification.repository';
import { NotificationResponseDto } from './notification.response.dto';

@ApiTags('notifications')
@Controller('orders')
export class NotificationController {
  constructor(private readonly notifications: NotificationRepository) {}

  /** An order's notifications in the order they were sent (unsent ones last); empty for an unknown order. */
  @Get(':orderId/notifications')
  @ApiOkResponse({ type: NotificationResponseDto, isArray: true })
  @ApiBadRequestResponse({ description: 'orderId is not a UUID' })
  async list(@Param('orderId', new ParseUUIDPipe()) orderId: string): Promise<NotificationResponseDto[]> {
    const rows = await this.notifications.findByOrder(orderId);
    return rows.map((row) => ({
      orderId: row.orderId,
      status: row.status,
      state: row.state,
      channel: row.channel,
      attempts: row.attempts,
      sentAt: row.sentAt,
      providerMessageId: row.providerMessageId,
      lastError: row.lastError,
    }));
  }
}
