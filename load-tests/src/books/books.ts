/**
 * What the books-balance checker reads about one sale, and what it reports. Plain data: the reader
 * fills it from the databases, Redis and the broker; the rules judge it.
 */
import type { DeadLetter, GroupAccount } from './queue-accounts';

export interface BooksTarget {
  orderDatabaseUrl: string;
  inventoryDatabaseUrl: string;
  notifyDatabaseUrl: string;
  redisUrl: string;
  /** SALE_KEY_PREFIX of the order and inventory services. */
  salePrefix: string;
  saleId: string;
  /** The product's stock before the sale, when known: then its stock of record is checked too. */
  initialProductStock?: number;
  /** The NameServer: when given, the groups' backlogs, retry topics and dead letters are checked too. */
  nameServer?: string;
}

export interface OrderRow {
  id: string;
  userId: string;
  quantity: number;
  status: string;
}

export interface MovementRow {
  orderId: string;
  kind: 'DEDUCT' | 'RELEASE';
  quantity: number;
}

export interface Books {
  sale: { sku: string; quantity: number; perUserLimit: number };
  stockKey: string;
  orders: OrderRow[];
  /** Orders of every sale of the product: a movement for none of them has no order. */
  knownOrderIds: Set<string>;
  movements: MovementRow[];
  productStock: number | null;
  /** Notifications per (order, status), of every order notify knows; the rules keep the sale's. */
  notificationsPerStatus: { orderId: string; status: string; count: number }[];
  /** Units the Redis gate can still sell (null: the counter is gone). */
  redisRemaining: number | null;
  /** The sale's buyers hash: userId → units the gate let through. */
  buyers: [string, number][];
  /** Orders whose units went back to the Redis stock (the shared `released` set). */
  givenBack: Set<string>;
  /** The broker's side, when a NameServer was given. */
  queues?: { groups: GroupAccount[]; deadLetters: DeadLetter[] };
}

export interface BooksFigures {
  saleQuantity: number;
  perUserLimit: number;
  sku: string;
  redisRemaining: number | null;
  /** Units the gate let through, net of undone ones: the sum of the buyers hash. */
  admittedUnits: number;
  ordersByStatus: Record<string, number>;
  /** Units of CREATED + PAID orders. */
  liveUnits: number;
  deductedUnits: number;
  releasedUnits: number;
  productStock: number | null;
  notifications: number;
  /** Unconsumed messages over all groups and their retry topics (when the broker was checked). */
  backlog?: number;
  deadLetters?: number;
}

export interface BooksReport {
  drained: boolean;
  /** How long the queues took to drain (or the timeout). */
  drainMs: number;
  figures: BooksFigures;
  /** Empty when the books balance. */
  violations: string[];
}
