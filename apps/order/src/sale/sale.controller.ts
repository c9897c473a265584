import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CreateSaleDto } from './create-sale.dto';
import { SaleDto } from './sale.dto';
import { SaleService } from './sale.service';

@ApiTags('sales')
@Controller('sales')
export class SaleController {
  constructor(private readonly sales: SaleService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a flash sale and load its counters into Redis' })
  @ApiCreatedResponse({ type: SaleDto })
  @ApiBadRequestResponse({ description: 'Invalid body, or endsAt not after startsAt (INVALID_SALE_WINDOW)' })
  create(@Body() dto: CreateSaleDto): Promise<SaleDto> {
    return this.sales.create(dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A sale with its live figures: units left, orders by status' })
  @ApiOkResponse({ type: SaleDto })
  @ApiNotFoundResponse({ description: 'SALE_NOT_FOUND' })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<SaleDto> {
    return this.sales.describe(id);
  }
}
