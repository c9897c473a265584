import { Module } from '@nestjs/common';
import { StockModule } from '../stock/stock.module';
import { ProductController } from './product.controller';
import { ProductService } from './product.service';

/** `POST /products`, `GET /products/:sku`: the catalogue and its stock of record. */
@Module({
  imports: [StockModule],
  controllers: [ProductController],
  providers: [ProductService],
})
export class ProductModule {}
