import { LocalSmsGateway } from './local-sms-gateway';
import { SmsDeliveryError } from './sms-provider';

const message = (key: string) => ({ to: 'user:1', body: 'hello', idempotencyKey: key });

describe('LocalSmsGateway', () => {
  it('accepts a message and records it once per idempotency key', async () => {
    const gateway = new LocalSmsGateway({ latencyMs: 0, failureRate: 0 });

    const first = await gateway.send(message('order-1:PAID'));
    const again = await gateway.send(message('order-1:PAID'));
    await gateway.send(message('order-1:CREATED'));

    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(gateway.delivered().map((sms) => sms.idempotencyKey)).toEqual(['order-1:PAID', 'order-1:CREATED']);
    expect(gateway.repeatedKeys()).toBe(1);
  });

  it('fails with a typed error at the configured rate, and records nothing then', async () => {
    const draws = [0.1, 0.5];
    const gateway = new LocalSmsGateway({ latencyMs: 0, failureRate: 0.3, random: () => draws.shift() ?? 0 });

    const failure = gateway.send(message('order-2:CREATED'));
    await expect(failure).rejects.toBeInstanceOf(SmsDeliveryError);
    await expect(failure).rejects.toMatchObject({
      code: 'SMS_DELIVERY_FAILED',
      idempotencyKey: 'order-2:CREATED',
    });
    await expect(gateway.send(message('order-2:CREATED'))).resolves.toHaveProperty('providerMessageId');
    expect(gateway.delivered()).toHaveLength(1);
  });

  it('takes the configured latency', async () => {
    const gateway = new LocalSmsGateway({ latencyMs: 30, failureRate: 0 });
    const started = Date.now();

    await gateway.send(message('order-3:PAID'));

    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
