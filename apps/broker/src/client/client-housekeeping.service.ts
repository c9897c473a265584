/**
 * ClientHousekeepingService: the periodic sweep (every 10 s) that drops producers and consumers whose
 * heartbeats stopped without their connection closing — a frozen process, a half-open TCP
 * connection behind a NAT — so that their groups rebalance and transaction checks go elsewhere.
 */
import type { ConsumerManager } from './consumer-manager';
import type { ProducerManager } from './producer-manager';

export class ClientHousekeepingService {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumerManager: ConsumerManager,
    private readonly producerManager: ProducerManager,
    private readonly scanIntervalMillis: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.scanNow(), this.scanIntervalMillis);
    this.timer.unref();
  }

  scanNow(now = Date.now()): void {
    this.consumerManager.scanNotActiveChannel(now);
    this.producerManager.scanNotActiveChannel(now);
  }

  shutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
