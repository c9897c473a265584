/**
 * Flow 2's safety net: the broker's check-back of a half message whose outcome it never heard is
 * answered from the order table by the order service's OrderTransactionListener — COMMIT when the
 * row exists, UNKNOW while it may still appear, ROLLBACK only once the request is too old to commit.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type OrderCreatedEvent, ProducerGroups, Topics } from '@flashsale/contracts';
import { type MessageExt, TransactionProducer } from '@flashsale/mq';
import type { SpawnedBroker } from '@flashsale/testing';
import { DataSource } from 'typeorm';
import { type NewOrder, OrderTransactionListener } from '../src/order/order-transaction.listener';
import {
  createOpenSale,
  type OrderTestService,
  sleep,
  startBroker,
  startOrderService,
  TopicRecorder,
  waitFor,
} from './support/order-test-env';

describe('transactional order: local transaction and check-back', () => {
  let broker: SpawnedBroker;
  let service: OrderTestService;
  let created: TopicRecorder<OrderCreatedEvent>;
  let saleId: string;

  beforeAll(async () => {
    broker = await startBroker();
    service = await startOrderService(broker);
    created = await TopicRecorder.start(broker.namesrvAddr, Topics.ORDER_CREATED);
    saleId = (await createOpenSale(service)).id;
  }, 60_000);

  afterAll(async () => {
    await created?.stop();
    await service?.stop();
    await broker?.stop();
  }, 60_000);

  const db = () => service.app.get(DataSource);
  const listener = () => service.app.get(OrderTransactionListener);

  function newOrder(): NewOrder {
    return {
      id: randomUUID(),
      ticket: randomUUID(),
      saleId,
      userId: 'tx-user',
      quantity: 1,
      amountCents: 990,
    };
  }

  async function insert(order: NewOrder): Promise<void> {
    await db().query(
      `INSERT INTO purchase_order (id, ticket, sale_id, user_id, quantity, status, amount_cents)
       VALUES ($1, $2, $3, $4, $5, 'CREATED', $6)`,
      [order.id, order.ticket, order.saleId, order.userId, order.quantity, order.amountCents],
    );
  }

  /** The half message as a check-back hands it over (only the fields the listener reads matter). */
  function halfMessage(orderId: string, bornTimestamp: number): MessageExt {
    return {
      keys: [orderId],
      body: Buffer.from(JSON.stringify({ orderId })),
      bornTimestamp,
      msgId: randomUUID(),
    } as unknown as MessageExt;
  }

  describe('OrderTransactionListener against the real database', () => {
    it('executeLocalTransaction inserts the order once and commits every time for the same order', async () => {
      const order = newOrder();
      const message = { topic: Topics.ORDER_CREATED, body: '', transactionId: 'tx' };

      expect(await listener().executeLocalTransaction(message, order)).toBe('COMMIT_MESSAGE');
      expect(await listener().executeLocalTransaction(message, order)).toBe('COMMIT_MESSAGE');
      expect(await db().query(`SELECT status FROM purchase_order WHERE ticket = $1`, [order.ticket])).toEqual(
        [{ status: 'CREATED' }],
      );
    });

    it('rolls back an order whose ticket already belongs to another order id', async () => {
      const first = newOrder();
      await insert(first);

      const clash = { ...newOrder(), ticket: first.ticket };
      const message = { topic: Topics.ORDER_CREATED, body: '', transactionId: 'tx' };
      expect(await listener().executeLocalTransaction(message, clash)).toBe('ROLLBACK_MESSAGE');
      expect(await db().query(`SELECT 1 FROM purchase_order WHERE id = $1`, [clash.id])).toEqual([]);
    });

    it('checkLocalTransaction commits when the order row exists, however old the message', async () => {
      const order = newOrder();
      await insert(order);

      expect(await listener().checkLocalTransaction(halfMessage(order.id, Date.now()))).toBe(
        'COMMIT_MESSAGE',
      );
      expect(await listener().checkLocalTransaction(halfMessage(order.id, Date.now() - 86_400_000))).toBe(
        'COMMIT_MESSAGE',
      );
    });

    it('checkLocalTransaction answers UNKNOW for a missing row inside the safety window, ROLLBACK after it', async () => {
      const orderId = randomUUID();
      const born = Date.now();
      const window = service.config.ORDER_TX_ROLLBACK_AFTER_MS;

      expect(await listener().checkLocalTransaction(halfMessage(orderId, born), born + 1_000)).toBe('UNKNOW');
      expect(await listener().checkLocalTransaction(halfMessage(orderId, born), born + window - 1)).toBe(
        'UNKNOW',
      );
      expect(await listener().checkLocalTransaction(halfMessage(orderId, born), born + window)).toBe(
        'ROLLBACK_MESSAGE',
      );
    });

    it('checkLocalTransaction rolls back a message that names no order', async () => {
      const message = { keys: [], body: Buffer.from('not json'), bornTimestamp: Date.now(), msgId: 'x' };
      expect(await listener().checkLocalTransaction(message as unknown as MessageExt)).toBe(
        'ROLLBACK_MESSAGE',
      );
    });
  });

  describe('through the broker', () => {
    /**
     * Plays an order-service instance that dies between the half message and its outcome: it sends
     * ORDER_CREATED in the ORDER_TRANSACTION group, answers UNKNOW, and leaves. The broker must then ask
     * the surviving producer of the group — the service under test.
     */
    async function sendUnresolvedHalfMessage(orderId: string): Promise<void> {
      const id = randomBytes(4).toString('hex');
      const dying = new TransactionProducer({
        nameServer: broker.namesrvAddr,
        producerGroup: ProducerGroups.ORDER_TRANSACTION,
        instanceName: `dying-${id}`,
        transactionListener: {
          executeLocalTransaction: () => 'UNKNOW',
          checkLocalTransaction: () => 'UNKNOW',
        },
      });
      await dying.start();
      const event: OrderCreatedEvent = {
        orderId,
        saleId,
        sku: 'SKU',
        userId: 'tx-user',
        quantity: 1,
        createdAt: new Date().toISOString(),
      };
      const result = await dying.sendMessageInTransaction(
        { topic: Topics.ORDER_CREATED, body: JSON.stringify(event), keys: orderId },
        undefined,
      );
      expect(result.localTransactionState).toBe('UNKNOW');
      await dying.shutdown();
    }

    it('commits a half message whose order row exists when the broker checks back', async () => {
      const order = newOrder();
      await insert(order); // the local transaction committed; the producer died before saying so

      await sendUnresolvedHalfMessage(order.id);

      await waitFor(
        () => created.bodies((e) => e.orderId === order.id).length === 1,
        'the checked-back commit',
        20_000,
      );
    });

    it('keeps a half message pending while its row is missing, and commits once the row appears', async () => {
      const order = newOrder();
      await sendUnresolvedHalfMessage(order.id);

      // Several check-backs (TRANSACTION_TIMEOUT 1 s, interval 0.3 s) find no row: UNKNOW, not visible.
      await sleep(2_500);
      expect(created.bodies((e) => e.orderId === order.id)).toEqual([]);

      await insert(order); // a slow local transaction commits at last
      await waitFor(
        () => created.bodies((e) => e.orderId === order.id).length === 1,
        'the late commit',
        20_000,
      );
    });
  });
});
