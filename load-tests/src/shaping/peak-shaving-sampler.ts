/**
 * Samples, about once a second while a scenario runs, the three lines of the peak-shaving picture:
 * - the edge: purchase attempts answered by the order service (its flashsale_purchase_requests_total
 *   counter on GET /metrics), and of those the admitted ones;
 * - the database: rows of the sale written to purchase_order;
 * - the broker: the request topic's backlog for the order service's consumer group.
 *
 * Interview: "消息队列的核心场景：削峰填谷" (peak shaving and valley filling) — the picture shows it: a
 * spike at the edge, a flat line at the database, and the difference waiting in the broker.
 */
import { ConsumerGroups, Topics } from '@flashsale/contracts';
import { Client } from 'pg';
import { QueueAccounts } from '../books/queue-accounts';
import type { PeakShavingSample } from './peak-shaving-run';

export interface SamplerTarget {
  orderUrl: string;
  orderDatabaseUrl: string;
  nameServer: string;
  saleId: string;
}

interface Reading {
  at: number;
  answered: number;
  accepted: number;
  orders: number;
  backlog: number;
}

export class PeakShavingSampler {
  private readonly samples: PeakShavingSample[] = [];
  /** When the baseline was read: t = 0 of the series. */
  private startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();
  private previous: Reading | undefined;
  /** The first sampling error; sampling stops and `stop()` throws it. */
  private failure: unknown;

  private constructor(
    private readonly target: SamplerTarget,
    private readonly orderDb: Client,
    private readonly queues: QueueAccounts,
    private readonly intervalMs: number,
  ) {}

  static async start(target: SamplerTarget, intervalMs = 1_000): Promise<PeakShavingSampler> {
    const orderDb = new Client({ connectionString: target.orderDatabaseUrl });
    await orderDb.connect();
    const sampler = new PeakShavingSampler(target, orderDb, new QueueAccounts(target.nameServer), intervalMs);
    sampler.previous = await sampler.read();
    sampler.startedAt = sampler.previous.at;
    sampler.schedule();
    return sampler;
  }

  /** Takes no more samples, closes the connections and returns the series. */
  async stop(): Promise<PeakShavingSample[]> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.tick;
    this.queues.close();
    await this.orderDb.end();
    if (this.failure) throw this.failure;
    return [...this.samples];
  }

  private schedule(): void {
    // Each tick starts after the previous one ended, so a slow read never overlaps the next one.
    const due = this.startedAt + (this.samples.length + 1) * this.intervalMs;
    this.timer = setTimeout(
      () => {
        this.tick = this.sample().then(
          () => {
            if (this.timer) this.schedule();
          },
          (error: unknown) => {
            this.failure = error;
          },
        );
      },
      Math.max(0, due - Date.now()),
    );
  }

  private async sample(): Promise<void> {
    const reading = await this.read();
    const previous = this.previous ?? reading;
    const seconds = Math.max((reading.at - previous.at) / 1000, 0.001);
    this.samples.push({
      t: (reading.at - this.startedAt) / 1000,
      edgeRequestsPerSec: round((reading.answered - previous.answered) / seconds),
      edgeAcceptedPerSec: round((reading.accepted - previous.accepted) / seconds),
      ordersWrittenPerSec: round((reading.orders - previous.orders) / seconds),
      backlog: reading.backlog,
    });
    this.previous = reading;
  }

  private async read(): Promise<Reading> {
    const [edge, orders, backlog] = await Promise.all([
      this.readEdge(),
      this.orderDb.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM purchase_order WHERE sale_id = $1',
        [this.target.saleId],
      ),
      this.queues.lagOf(ConsumerGroups.ORDER_PURCHASE, Topics.PURCHASE_REQUEST),
    ]);
    return { at: Date.now(), ...edge, orders: orders.rows[0].count, backlog };
  }

  private async readEdge(): Promise<{ answered: number; accepted: number }> {
    const response = await fetch(`${this.target.orderUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`GET ${this.target.orderUrl}/metrics answered ${response.status}`);
    return purchaseCounts(await response.text());
  }
}

/**
 * Sums flashsale_purchase_requests_total over its outcomes from a Prometheus text exposition. The
 * counter counts every sale the service has: a load test runs one sale at a time.
 */
export function purchaseCounts(exposition: string): { answered: number; accepted: number } {
  let answered = 0;
  let accepted = 0;
  for (const line of exposition.split('\n')) {
    const match = /^flashsale_purchase_requests_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    answered += value;
    if (/outcome="ACCEPTED"/.test(match[1])) accepted += value;
  }
  return { answered, accepted };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
