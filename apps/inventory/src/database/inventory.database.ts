import { type DatabaseOptions, ProcessedMessageEntity } from '@flashsale/service-kit';
import { ProductEntity } from '../product/product.entity';
import { StockDeductFailureEntity } from '../stock/stock-deduct-failure.entity';
import { StockMovementEntity } from '../stock/stock-movement.entity';
import { InitialSchema1763946000000 } from './migrations/1763946000000-initial-schema';
import { StockDeductFailure1764000000000 } from './migrations/1764000000000-stock-deduct-failure';
import { OrderClosedBeforeDeduction1764200000000 } from './migrations/1764200000000-order-closed-before-deduction';

/** The inventory database: its entities, and its migrations oldest first (append new ones at the end). */
export const inventoryDatabase: DatabaseOptions = {
  entities: [ProductEntity, StockMovementEntity, StockDeductFailureEntity, ProcessedMessageEntity],
  migrations: [
    InitialSchema1763946000000,
    StockDeductFailure1764000000000,
    OrderClosedBeforeDeduction1764200000000,
  ],
};
