/**
 * The end-to-end latency measurement shared by `end-to-end-latency.bench.ts` and the broker benchmark:
 * a producer sends at a steady rate, a push consumer in the same process receives, and each message
 * carries its send time from this process's monotonic clock.
 *
 * Interview question: "What is RocketMQ's end-to-end latency, and what sets it?" — the send round trip
 * (CommitLog append; under SYNC_FLUSH the group commit's fsync), then reput dispatching the record to
 * its ConsumeQueue and waking the pull parked on that queue (long polling), then the pull response and
 * the consumer's hand-off to the listener. Nothing here polls on a timer, so the tail is set by work
 * and pauses (GC, a busy event loop, the CPU being shared), not by an interval.
 *
 * It asserts nothing: it returns numbers.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Producer, PushConsumer } from '@flashsale/mq';

export interface SteadyRateOptions {
  nameServer: string;
  topic: string;
  /** Messages per second, paced by the clock (a batch of sends every millisecond). */
  rate: number;
  seconds: number;
  /** Seconds sent before measuring starts (routes, connections, JIT). */
  warmupSeconds: number;
  bodyBytes: number;
  /** Consumer group and instance-name prefix; a fresh group starts at the topic's first offset. */
  group: string;
}

export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface SteadyRateResult {
  rate: number;
  bodyBytes: number;
  seconds: number;
  sentPerSec: number;
  samples: number;
  sendErrors: number;
  /** Sent → handed to the listener. */
  endToEndMs: LatencyPercentiles;
  /** Sent → send result (the broker's acknowledgement). */
  sendAckMs: LatencyPercentiles;
  /** This process's CPU (producer + consumer) per message sent, over the measured window. */
  clientCpuMicrosPerMessage: number;
  /** GC pauses of this process during the measured window. */
  clientGc: { count: number; totalMs: number; maxMs: number };
  /** Event-loop delay of this process (how late a 1 ms timer ran) during the measured window. */
  clientEventLoopDelayMs: { p99: number; max: number };
}

export function percentiles(samples: number[]): LatencyPercentiles {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number): number =>
    sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: sorted[sorted.length - 1] ?? NaN };
}

/** Watches GC pauses and event-loop delay while `measuring` is true. */
class PauseWatcher {
  private readonly gcPauses: number[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (this.measuring) this.gcPauses.push(entry.duration);
  });
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 1 });
  private measuring = false;

  start(): void {
    this.observer.observe({ entryTypes: ['gc'] });
    this.loopDelay.enable();
    this.measuring = true;
  }

  stop(): Pick<SteadyRateResult, 'clientGc' | 'clientEventLoopDelayMs'> {
    this.measuring = false;
    this.observer.disconnect();
    this.loopDelay.disable();
    return {
      clientGc: {
        count: this.gcPauses.length,
        totalMs: this.gcPauses.reduce((sum, pause) => sum + pause, 0),
        maxMs: Math.max(0, ...this.gcPauses),
      },
      clientEventLoopDelayMs: {
        p99: this.loopDelay.percentile(99) / 1e6,
        max: this.loopDelay.max / 1e6,
      },
    };
  }
}

/** Runs the producer and consumer for warmup + seconds and returns the measured window's figures. */
export async function measureSteadyRateLatency(options: SteadyRateOptions): Promise<SteadyRateResult> {
  const { nameServer, topic, rate, bodyBytes, group } = options;
  // One instance name: producer and consumer share one client instance and so one connection to the
  // broker, as they do by default in a Java application (the client id is ip@pid).
  const instanceName = `${group}-client`;
  const producer = new Producer({ nameServer, producerGroup: `${group}-pg`, instanceName });
  const consumer = new PushConsumer({
    nameServer,
    consumerGroup: group,
    instanceName,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  const endToEnd: number[] = [];
  const sendAck: number[] = [];
  let measuring = false;
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener((messages) => {
    const now = performance.now();
    if (measuring) for (const message of messages) endToEnd.push(now - message.body.readDoubleBE(0));
    return 'CONSUME_SUCCESS';
  });
  await producer.start();
  await consumer.start();
  try {
    await producer.send({ topic, body: Buffer.alloc(bodyBytes) }); // routes and connections warm
    const template = Buffer.alloc(bodyBytes, 'x');
    let sent = 0;
    let sendErrors = 0;
    const sendOne = (): void => {
      const body = Buffer.from(template);
      const sentAt = performance.now();
      body.writeDoubleBE(sentAt, 0);
      producer.send({ topic, body }).then(
        () => measuring && sendAck.push(performance.now() - sentAt),
        () => sendErrors++,
      );
    };
    // Paced by the clock, not by counting ticks: timers fire late, and the owed sends catch up.
    const pacingStart = performance.now();
    const ticker = setInterval(() => {
      const due = Math.floor(((performance.now() - pacingStart) / 1000) * rate);
      for (; sent < due; sent++) sendOne();
    }, 1);

    await sleep(options.warmupSeconds * 1000);
    const watcher = new PauseWatcher();
    watcher.start();
    measuring = true;
    const sentAtStart = sent;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await sleep(options.seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const sentMeasured = sent - sentAtStart;
    clearInterval(ticker);
    const pauses = watcher.stop();
    await sleep(500); // the last messages of the window arrive
    measuring = false;
    return {
      rate,
      bodyBytes,
      seconds: elapsed,
      sentPerSec: sentMeasured / elapsed,
      samples: endToEnd.length,
      sendErrors,
      endToEndMs: percentiles(endToEnd),
      sendAckMs: percentiles(sendAck),
      clientCpuMicrosPerMessage: (cpu.user + cpu.system) / sentMeasured,
      ...pauses,
    };
  } finally {
    await consumer.shutdown();
    await producer.shutdown();
  }
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
