import { ServiceError } from '@flashsale/service-kit';
import { HttpStatus } from '@nestjs/common';

export class ProductExistsError extends ServiceError {
  constructor(sku: string) {
    super(HttpStatus.CONFLICT, 'PRODUCT_EXISTS', `product ${sku} already exists`);
  }
}

export class ProductNotFoundError extends ServiceError {
  constructor(sku: string) {
    super(HttpStatus.NOT_FOUND, 'PRODUCT_NOT_FOUND', `product ${sku} does not exist`);
  }
}
