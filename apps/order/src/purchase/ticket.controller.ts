import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PurchaseService } from './purchase.service';
import { TicketDto } from './ticket.dto';

/**
 * `GET /tickets/:ticket`: where an admitted purchase stands. The purchase itself is
 * `POST /sales/:id/purchases`, a plain Fastify route (purchase.route.ts).
 */
@ApiTags('purchases')
@Controller('tickets')
export class TicketController {
  constructor(private readonly purchases: PurchaseService) {}

  @Get(':ticket')
  @ApiOperation({ summary: 'Where a purchase stands: PENDING, CREATED (with the order) or FAILED' })
  @ApiOkResponse({ type: TicketDto })
  ticket(@Param('ticket', new ParseUUIDPipe()) ticket: string): Promise<TicketDto> {
    return this.purchases.ticket(ticket);
  }
}
