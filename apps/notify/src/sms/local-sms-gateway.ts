/**
 * Flow 5 of DESIGN.md §4 — async SMS: the default provider, a local gateway whose latency and failure
 * rate are configurable, so that retries, the held-back queue and the dead-letter queue can be seen.
 *
 * Interview question: 「死信队列的使用场景？」 (What is the dead-letter queue for?) — set
 * SMS_FAILURE_RATE > 0 and a small NOTIFY_MAX_RECONSUME_TIMES: status updates whose SMS failed every
 * attempt end in %DLQ%notify-status-consumer instead of blocking their queue for ever, to be looked at
 * and resent (AdminClient.resendDeadLetterMessage) once the provider is healthy again.
 */
import { randomUUID } from 'node:crypto';
import { SmsDeliveryError, type SmsMessage, type SmsProvider, type SmsReceipt } from './sms-provider';

export interface LocalSmsGatewayOptions {
  latencyMs: number;
  /** 0 to 1. */
  failureRate: number;
  /** Source of randomness in [0, 1); replaceable in unit tests. */
  random?: () => number;
}

/** One message the gateway accepted, kept so that tests (and a demo) can count what reached "phones". */
export interface DeliveredSms extends SmsMessage {
  providerMessageId: string;
  acceptedAt: Date;
}

/** Built by SmsModule's factory from the configuration (not by Nest's injector). */
export class LocalSmsGateway implements SmsProvider {
  private readonly random: () => number;
  private readonly accepted = new Map<string, DeliveredSms>();
  private readonly log: DeliveredSms[] = [];
  private repeats = 0;

  constructor(private readonly options: LocalSmsGatewayOptions) {
    this.random = options.random ?? Math.random;
  }

  async send(message: SmsMessage): Promise<SmsReceipt> {
    if (this.options.latencyMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    if (this.random() < this.options.failureRate) {
      throw new SmsDeliveryError(message.idempotencyKey, 'simulated gateway failure');
    }
    // Provider-side idempotency: a key seen before is acknowledged again but not delivered again.
    const earlier = this.accepted.get(message.idempotencyKey);
    if (earlier !== undefined) {
      this.repeats++;
      return { providerMessageId: earlier.providerMessageId };
    }
    const delivered: DeliveredSms = { ...message, providerMessageId: randomUUID(), acceptedAt: new Date() };
    this.accepted.set(message.idempotencyKey, delivered);
    this.log.push(delivered);
    return { providerMessageId: delivered.providerMessageId };
  }

  /** Every message delivered, in delivery order (a repeated idempotency key is not delivered twice). */
  delivered(): readonly DeliveredSms[] {
    return this.log;
  }

  /** How often a key was sent again after it had been accepted (the gateway absorbed the duplicate). */
  repeatedKeys(): number {
    return this.repeats;
  }
}
