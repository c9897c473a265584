/**
 * When the broker registers: once at start, every registerNameServerPeriod (30 s) as a heartbeat that
 * keeps it in the NameServers' tables (they drop brokers silent for 120 s), and soon after any topic
 * change so that new routes appear at once. Bursts of changes (a consumer group's first heartbeat, a
 * script creating fifty topics) collapse into one registration, and registrations never overlap.
 *
 * Interview question: "How long after a broker dies do producers stop using it?" — up to 120 s for the
 * NameServer to expire it plus up to 30 s for clients to refresh routes; in between, the producer's
 * own fault-avoidance (sendLatencyFaultEnable) and retries on another broker cover the gap.
 */
import type { BrokerLogger } from '../broker-logger';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import type { BrokerIdentity, BrokerOuterApi, RegisterBrokerResult } from './broker-outer-api';

export interface BrokerRegistrationOptions {
  periodMillis: number;
  /** How long a topic change waits for further changes before registering. */
  debounceMillis?: number;
}

const DEFAULT_DEBOUNCE_MILLIS = 20;

export class BrokerRegistrationService {
  private periodTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private registrations = 0;

  constructor(
    private readonly identity: BrokerIdentity,
    private readonly api: BrokerOuterApi,
    private readonly topics: TopicConfigManager,
    private readonly options: BrokerRegistrationOptions,
    private readonly logger: BrokerLogger,
  ) {}

  /** Registers once (a NameServer that is down is only logged), then keeps registering periodically. */
  async start(): Promise<void> {
    await this.registerNow();
    this.periodTimer = setInterval(() => void this.registerNow(), this.options.periodMillis);
    this.periodTimer.unref();
  }

  /** Asks for a registration soon; calls within the debounce window share one. */
  requestRegistration(): void {
    if (this.stopped || this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.registerNow();
    }, this.options.debounceMillis ?? DEFAULT_DEBOUNCE_MILLIS);
    this.debounceTimer.unref();
  }

  /** Registers now, or right after the registration in flight if there is one. */
  registerNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.registerLoop().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async registerLoop(): Promise<void> {
    do {
      this.again = false;
      const results = await this.api.registerBrokerAll(
        this.identity,
        this.topics.buildTopicConfigSerializeWrapper(),
      );
      this.logResults(results);
    } while (this.again && !this.stopped);
  }

  private logResults(results: RegisterBrokerResult[]): void {
    this.registrations++;
    for (const result of results) {
      if (result.ok) {
        this.logger.debug('registered with NameServer', { namesrvAddr: result.namesrvAddr });
      } else {
        this.logger.warn('register with NameServer failed; will retry next period', {
          namesrvAddr: result.namesrvAddr,
          error: result.error,
        });
      }
    }
  }

  get registrationCount(): number {
    return this.registrations;
  }

  /** Stops the timers, lets a registration in flight finish, then unregisters from every NameServer. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.periodTimer) clearInterval(this.periodTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    await this.inFlight?.catch(() => undefined);
    await this.api.unregisterBrokerAll(this.identity);
    this.api.close();
  }
}
