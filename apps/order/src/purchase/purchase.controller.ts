import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { PurchaseMetrics } from './purchase-metrics';
import { PurchaseRequestDto } from './purchase-request.dto';
import { PurchaseService } from './purchase.service';
import { PurchaseAcceptedDto, TicketDto } from './ticket.dto';

@ApiTags('purchases')
@Controller()
export class PurchaseController {
  constructor(
    private readonly purchases: PurchaseService,
    private readonly metrics: PurchaseMetrics,
  ) {}

  @Post('sales/:id/purchases')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Try to buy: the Redis gate answers at once; winners get a ticket to poll',
    description:
      'Peak shaving: only admitted purchases become messages, and the order service turns them into ' +
      'orders at the pace its database takes. Poll GET /tickets/{ticket} for the order.',
  })
  @ApiAcceptedResponse({ type: PurchaseAcceptedDto, description: 'Admitted and queued' })
  @ApiBadRequestResponse({ description: 'Invalid body, or quantity above the limit (QUANTITY_ABOVE_LIMIT)' })
  @ApiNotFoundResponse({ description: 'SALE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'SOLD_OUT, ALREADY_BOUGHT, NOT_STARTED or ENDED' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  @ApiServiceUnavailableResponse({ description: 'PURCHASE_UNAVAILABLE: not queued, units given back' })
  purchase(
    @Param('id', new ParseUUIDPipe()) saleId: string,
    @Body() request: PurchaseRequestDto,
  ): Promise<PurchaseAcceptedDto> {
    return this.metrics.count(this.purchases.purchase(saleId, request));
  }

  @Get('tickets/:ticket')
  @ApiOperation({ summary: 'Where a purchase stands: PENDING, CREATED (with the order) or FAILED' })
  @ApiOkResponse({ type: TicketDto })
  ticket(@Param('ticket', new ParseUUIDPipe()) ticket: string): Promise<TicketDto> {
    return this.purchases.ticket(ticket);
  }
}
