import { type DatabaseOptions, ProcessedMessageEntity } from '@flashsale/service-kit';
import { PurchaseOrderEntity } from '../order/purchase-order.entity';
import { FlashSaleEntity } from '../sale/flash-sale.entity';
import { InitialSchema1763946000000 } from './migrations/1763946000000-initial-schema';
import { OrderTicket1764100000000 } from './migrations/1764100000000-order-ticket';

/** The order database: its entities, and its migrations oldest first (append new ones at the end). */
export const orderDatabase: DatabaseOptions = {
  entities: [FlashSaleEntity, PurchaseOrderEntity, ProcessedMessageEntity],
  migrations: [InitialSchema1763946000000, OrderTicket1764100000000],
};
