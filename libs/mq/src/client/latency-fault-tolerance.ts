/**
 * Broker avoidance after failures or slow sends (`MQFaultStrategy` + `LatencyFaultToleranceImpl`).
 *
 * Interview question: "How does a producer avoid a broken or slow broker?" — every send records how
 * long the broker took; a latency at or above one of the steps in LATENCY_MAX makes that broker
 * "not available" for the matching NOT_AVAILABLE_DURATION (a failed send counts as 30 s of latency,
 * i.e. 10 minutes off). Queue selection skips unavailable brokers while any other broker remains.
 */

/** Latency steps in ms... */
export const LATENCY_MAX = [50, 100, 550, 1000, 2000, 3000, 15000] as const;
/** ...and how long a broker is avoided after a send that took at least that long. */
export const NOT_AVAILABLE_DURATION = [0, 0, 30000, 60000, 120000, 180000, 600000] as const;
/** A failed send is recorded as if it had taken this long. */
export const ISOLATION_LATENCY_MILLIS = 30000;

export function computeNotAvailableDuration(latencyMillis: number): number {
  for (let i = LATENCY_MAX.length - 1; i >= 0; i--) {
    if (latencyMillis >= LATENCY_MAX[i]) return NOT_AVAILABLE_DURATION[i];
  }
  return 0;
}

interface FaultItem {
  latencyMillis: number;
  availableAt: number;
}

export class LatencyFaultTolerance {
  private readonly items = new Map<string, FaultItem>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a send's outcome; `isolation` = it failed. */
  updateFaultItem(brokerName: string, latencyMillis: number, isolation: boolean): void {
    const latency = isolation ? ISOLATION_LATENCY_MILLIS : latencyMillis;
    const duration = computeNotAvailableDuration(latency);
    if (duration === 0) {
      // The common case on a healthy broker: nothing to remember, no allocation.
      if (this.items.size > 0) this.items.delete(brokerName);
      return;
    }
    this.items.set(brokerName, { latencyMillis: latency, availableAt: this.now() + duration });
  }

  isAvailable(brokerName: string): boolean {
    if (this.items.size === 0) return true;
    const item = this.items.get(brokerName);
    return item === undefined || this.now() >= item.availableAt;
  }

  /** When every broker is avoided, the one that will recover first (lowest latency as a tie-break). */
  pickOneAtLeast(candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestItem: FaultItem | undefined;
    for (const name of candidates) {
      const item = this.items.get(name);
      if (item === undefined) return name;
      if (
        bestItem === undefined ||
        item.availableAt < bestItem.availableAt ||
        (item.availableAt === bestItem.availableAt && item.latencyMillis < bestItem.latencyMillis)
      ) {
        best = name;
        bestItem = item;
      }
    }
    return best;
  }

  remove(brokerName: string): void {
    this.items.delete(brokerName);
  }
}
