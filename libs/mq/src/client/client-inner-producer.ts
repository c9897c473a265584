/**
 * The producer a consumer uses behind the scenes (`CLIENT_INNER_PRODUCER` in Java): when
 * CONSUMER_SEND_MSG_BACK fails, a concurrent consumer publishes the failed message to %RETRY%<group>
 * itself, and an orderly consumer publishes a message that exhausted its local retries there so that
 * the broker moves it to the DLQ. One per client instance, shared by its consumers, started on first
 * use and shut down when its last consumer lets go.
 */
import { type ClientLogger } from './client-logger';
import { type MQClientInstance } from './mq-client-instance';
import { Producer } from './producer';

export const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';

export interface InnerProducerConfig {
  nameServer: string;
  instanceName?: string;
  logger?: ClientLogger;
}

interface SharedProducer {
  ready: Promise<Producer>;
  users: number;
}

const shared = new Map<MQClientInstance, SharedProducer>();

/** One consumer's claim on its instance's inner producer. */
export class InnerProducerLease {
  private holding = false;

  constructor(
    private readonly config: InnerProducerConfig,
    private readonly instance: MQClientInstance,
  ) {}

  /** The started inner producer (started by the first caller of this instance). */
  producer(): Promise<Producer> {
    let entry = shared.get(this.instance);
    if (entry === undefined) {
      const producer = new Producer({ ...this.config, producerGroup: CLIENT_INNER_PRODUCER_GROUP });
      const created: SharedProducer = { ready: producer.start().then(() => producer), users: 0 };
      // A failed start must not poison later attempts.
      created.ready.catch(() => {
        if (shared.get(this.instance) === created) shared.delete(this.instance);
      });
      shared.set(this.instance, created);
      entry = created;
    }
    if (!this.holding) {
      this.holding = true;
      entry.users++;
    }
    return entry.ready;
  }

  /** Lets go; the last user shuts the producer down (before the consumer leaves its instance). */
  async release(): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    const entry = shared.get(this.instance);
    if (entry === undefined) return;
    entry.users--;
    if (entry.users > 0) return;
    shared.delete(this.instance);
    const producer = await entry.ready.catch(() => undefined);
    await producer?.shutdown();
  }
}
