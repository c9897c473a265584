import type { Producer, SendResult } from '@flashsale/mq';
import type { DataSource } from 'typeorm';
import type { GateOutcome, PurchaseGate } from './purchase-gate';
import type { PurchaseRateLimiter } from './purchase-rate-limiter';
import type { PurchaseRefusal } from './purchase-refusal';
import { PurchaseService } from './purchase.service';

const SALE = '6f1c2d3e-4b5a-4c6d-8e7f-901234567890';
const ADMITTED: GateOutcome = { admitted: true, stockLeft: 4, sku: 'SKU-1' };

function setup(options: {
  allowed?: boolean;
  outcome?: GateOutcome;
  send?: () => Promise<Partial<SendResult>>;
  undone?: boolean;
}) {
  const rateLimiter = { tryAcquire: jest.fn().mockResolvedValue(options.allowed ?? true) };
  const gate = {
    admit: jest.fn().mockResolvedValue(options.outcome ?? ADMITTED),
    undo: jest.fn().mockResolvedValue(options.undone ?? true),
  };
  const send = options.send ?? (async (): Promise<Partial<SendResult>> => ({ sendStatus: 'SEND_OK' }));
  const producer = { send: jest.fn((_message: { topic: string; body: string; keys: string }) => send()) };
  const service = new PurchaseService(
    rateLimiter as unknown as PurchaseRateLimiter,
    gate as unknown as PurchaseGate,
    producer as unknown as Producer,
    {} as DataSource,
  );
  return { service, rateLimiter, gate, producer };
}

describe('PurchaseService', () => {
  it('sends the admitted request keyed by its ticket and answers PENDING', async () => {
    const { service, producer, gate } = setup({});

    const answer = await service.purchase(SALE, 'u1', 2);

    expect(answer).toEqual({ accepted: true, ticket: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const ticket = answer.accepted ? answer.ticket : '';
    const message = producer.send.mock.calls[0][0];
    expect(message).toMatchObject({ topic: 'flashsale_purchase_request', keys: ticket });
    expect(JSON.parse(message.body)).toMatchObject({
      ticket,
      saleId: SALE,
      sku: 'SKU-1',
      userId: 'u1',
      quantity: 2,
    });
    expect(gate.undo).not.toHaveBeenCalled();
  });

  it('checks the rate limit first: 429 without touching the gate', async () => {
    const { service, gate } = setup({ allowed: false });

    await expect(service.purchase(SALE, 'u1', 1)).resolves.toEqual(refused('RATE_LIMITED'));
    expect(gate.admit).not.toHaveBeenCalled();
  });

  it.each([
    [{ admitted: false, reason: 'SOLD_OUT', stockLeft: 0 }, 'SOLD_OUT'],
    [{ admitted: false, reason: 'ALREADY_BOUGHT', stockLeft: 2 }, 'ALREADY_BOUGHT'],
    [{ admitted: false, reason: 'NO_SUCH_SALE', stockLeft: 0 }, 'SALE_NOT_FOUND'],
    [{ admitted: false, reason: 'QUANTITY_ABOVE_LIMIT', stockLeft: 3 }, 'QUANTITY_ABOVE_LIMIT'],
  ] as [GateOutcome, PurchaseRefusal][])(
    'maps the gate outcome %j to the refusal %s',
    async (outcome, refusal) => {
      const { service, producer } = setup({ outcome });

      await expect(service.purchase(SALE, 'u1', 1)).resolves.toEqual(refused(refusal));
      expect(producer.send).not.toHaveBeenCalled();
    },
  );

  it('undoes the admission and refuses with PURCHASE_UNAVAILABLE when the send fails', async () => {
    const { service, gate } = setup({ send: () => Promise.reject(new Error('connect ECONNREFUSED')) });

    await expect(service.purchase(SALE, 'u1', 2)).resolves.toEqual(refused('PURCHASE_UNAVAILABLE'));
    expect(gate.undo).toHaveBeenCalledWith(SALE, expect.any(String), 'u1', 2);
  });

  it('treats a send that is not SEND_OK as failed', async () => {
    const { service, gate } = setup({ send: async () => ({ sendStatus: 'FLUSH_DISK_TIMEOUT' }) });

    await expect(service.purchase(SALE, 'u1', 1)).resolves.toEqual(refused('PURCHASE_UNAVAILABLE'));
    expect(gate.undo).toHaveBeenCalledTimes(1);
  });

  it('accepts after all when the undo finds the ticket already claimed by the consumer', async () => {
    const { service } = setup({ send: () => Promise.reject(new Error('timeout')), undone: false });

    await expect(service.purchase(SALE, 'u1', 1)).resolves.toMatchObject({ accepted: true });
  });

  it('refuses with PURCHASE_UNAVAILABLE when the undo itself fails', async () => {
    const { service, gate } = setup({ send: () => Promise.reject(new Error('timeout')) });
    gate.undo.mockRejectedValue(new Error('Redis down'));

    await expect(service.purchase(SALE, 'u1', 1)).resolves.toEqual(refused('PURCHASE_UNAVAILABLE'));
  });

  it('lets a Redis failure of the gate itself reach the caller (the route answers 500)', async () => {
    const { service, gate } = setup({});
    gate.admit.mockRejectedValue(new Error('Redis down'));

    await expect(service.purchase(SALE, 'u1', 1)).rejects.toThrow('Redis down');
  });
});

function refused(refusal: PurchaseRefusal) {
  return { accepted: false, refusal };
}
