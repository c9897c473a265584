import { Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { OrderDto } from './order.dto';
import { OrderService } from './order.service';

@ApiTags('orders')
@Controller('orders')
export class OrderController {
  constructor(private readonly orders: OrderService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One order' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ description: 'ORDER_NOT_FOUND' })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<OrderDto> {
    return OrderDto.from(await this.orders.get(id));
  }

  @Post(':id/pay')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Pay a CREATED order (idempotent for a PAID one)',
    description: 'Races the delayed close safely: whichever conditional update comes first wins.',
  })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ description: 'ORDER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'ORDER_CLOSED (paid too late) or ORDER_CANCELLED' })
  @ApiServiceUnavailableResponse({ description: 'STATUS_NOT_PUBLISHED: paid; repeat to announce it' })
  async pay(@Param('id', new ParseUUIDPipe()) id: string): Promise<OrderDto> {
    return OrderDto.from(await this.orders.pay(id));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel a CREATED order: its stock goes back to the sale' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ description: 'ORDER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'ORDER_PAID, ORDER_CLOSED or ORDER_CANCELLED' })
  @ApiServiceUnavailableResponse({ description: 'STATUS_NOT_PUBLISHED: cancelled; repeat to announce it' })
  async cancel(@Param('id', new ParseUUIDPipe()) id: string): Promise<OrderDto> {
    return OrderDto.from(await this.orders.cancel(id));
  }
}
