import { Module } from '@nestjs/common';
import { SaleStockCounter } from './sale-stock-counter';
import { StockDeductionConsumer } from './stock-deduction.consumer';
import { StockReleaseConsumer } from './stock-release.consumer';
import { StockRepository } from './stock.repository';

/** Flows 2 and 3 (stock side): the ORDER_CREATED and ORDER_CLOSED consumers. */
@Module({
  controllers: [StockDeductionConsumer, StockReleaseConsumer],
  providers: [StockRepository, SaleStockCounter],
  exports: [StockRepository],
})
export class StockModule {}
