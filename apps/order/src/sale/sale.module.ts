import { Module } from '@nestjs/common';
import { SaleStockRelease } from './sale-stock-release';
import { SaleController } from './sale.controller';
import { SaleService } from './sale.service';

/** Flash sales: the row in PostgreSQL and the live counters in Redis. */
@Module({
  controllers: [SaleController],
  providers: [SaleService, SaleStockRelease],
  exports: [SaleService, SaleStockRelease],
})
export class SaleModule {}
