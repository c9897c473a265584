import { ServiceError } from '@flashsale/service-kit';
import { HttpStatus } from '@nestjs/common';

export class SaleNotFoundError extends ServiceError {
  constructor(saleId: string) {
    super(HttpStatus.NOT_FOUND, 'SALE_NOT_FOUND', `No flash sale ${saleId}`);
  }
}

export class InvalidSaleWindowError extends ServiceError {
  constructor() {
    super(HttpStatus.BAD_REQUEST, 'INVALID_SALE_WINDOW', 'endsAt must be after startsAt');
  }
}
