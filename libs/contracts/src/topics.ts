/**
 * Topic and consumer-group names shared by the three services. The services talk to each other only
 * through these topics (DESIGN.md §4), so they are the services' whole public contract.
 */
export const Topics = {
  /** Purchase requests admitted by the Redis gate; the order service consumes them at its own pace. */
  PURCHASE_REQUEST: 'flashsale_purchase_request',
  /** Committed transactional messages announcing a created order; inventory deducts stock. */
  ORDER_CREATED: 'flashsale_order_created',
  /** Delay messages that close an unpaid order when they fire. */
  ORDER_CLOSE_CHECK: 'flashsale_order_close_check',
  /** An order was closed or cancelled; inventory releases its stock. */
  ORDER_CLOSED: 'flashsale_order_closed',
  /** Every status change of an order, sharded by order id so notify can consume them in order. */
  ORDER_STATUS: 'flashsale_order_status',
  /** Inventory could not deduct stock for a created order; the order service cancels the order. */
  STOCK_DEDUCT_FAILED: 'flashsale_stock_deduct_failed',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

export const ConsumerGroups = {
  ORDER_PURCHASE: 'order-purchase-consumer',
  ORDER_CLOSE: 'order-close-consumer',
  INVENTORY_DEDUCT: 'inventory-deduct-consumer',
  INVENTORY_RELEASE: 'inventory-release-consumer',
  NOTIFY_STATUS: 'notify-status-consumer',
  ORDER_DEDUCT_FAILED: 'order-deduct-failed-consumer',
} as const;
export type ConsumerGroup = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

export const ProducerGroups = {
  ORDER: 'order-producer',
  ORDER_TRANSACTION: 'order-tx-producer',
  INVENTORY: 'inventory-producer',
} as const;

/**
 * Who consumes what: each consumer group and the topic it subscribes to. The services declare the same
 * pairs in their @MqConsumer handlers; operators' tools (the load-test checker, lag dashboards) read
 * this table to know which backlogs must drain.
 */
export const Subscriptions: readonly { group: ConsumerGroup; topic: Topic }[] = [
  { group: ConsumerGroups.ORDER_PURCHASE, topic: Topics.PURCHASE_REQUEST },
  { group: ConsumerGroups.ORDER_CLOSE, topic: Topics.ORDER_CLOSE_CHECK },
  { group: ConsumerGroups.INVENTORY_DEDUCT, topic: Topics.ORDER_CREATED },
  { group: ConsumerGroups.INVENTORY_RELEASE, topic: Topics.ORDER_CLOSED },
  { group: ConsumerGroups.NOTIFY_STATUS, topic: Topics.ORDER_STATUS },
  { group: ConsumerGroups.ORDER_DEDUCT_FAILED, topic: Topics.STOCK_DEDUCT_FAILED },
];
