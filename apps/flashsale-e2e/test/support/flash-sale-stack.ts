/**
 * The whole flash-sale system for one test file: a spawned broker (NameServer + broker on free ports,
 * temp store) and the order, inventory and notify services as real processes on free ports, each on a
 * database of its own (`<service>_e2e_<run>`) on DATABASE_URL's server and with Redis prefixes of its
 * own, so test runs never see each other's data. `stop()` removes all of it.
 */
import { randomBytes } from 'node:crypto';
import { databaseUrlFor, deleteRedisKeys, dropDatabase } from '@flashsale/service-kit';
import { freePort, type SpawnedBroker, spawnBrokerForTests } from '@flashsale/testing';
import { type BooksTarget, booksTargetOf, createSale, type StackTarget } from '@flashsale/load-tests';
import { type ServiceName, type ServiceProcess, startServiceProcess } from './service-process';

export interface FlashSaleStackOptions {
  /** Broker settings (apps/broker/src/broker-config.ts), e.g. TRANSACTION_CHECK_INTERVAL. */
  brokerEnv?: Record<string, string>;
  order?: Record<string, string>;
  inventory?: Record<string, string>;
  notify?: Record<string, string>;
}

/** A parsed JSON answer; tests read whichever fields they assert on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes
export type Json = any;

export interface HttpAnswer {
  status: number;
  body: Json;
}

const SERVICES: readonly ServiceName[] = ['order', 'inventory', 'notify'];

export class FlashSaleStack {
  readonly services = new Map<ServiceName, ServiceProcess>();

  private constructor(
    readonly runId: string,
    readonly serverUrl: string,
    readonly redisUrl: string,
    readonly broker: SpawnedBroker,
    /** Shared by order (the gate writes the counters) and inventory (it gives units back). */
    readonly salePrefix: string,
  ) {}

  static async start(options: FlashSaleStackOptions = {}): Promise<FlashSaleStack> {
    const serverUrl = requireEnv('DATABASE_URL');
    const redisUrl = requireEnv('REDIS_URL');
    const runId = randomBytes(4).toString('hex');
    const broker = await spawnBrokerForTests({ env: options.brokerEnv ?? {} });
    const stack = new FlashSaleStack(runId, serverUrl, redisUrl, broker, `e2e_${runId}_sale:`);
    try {
      // Started side by side: each compiles its sources on start, the slow part.
      const started = await Promise.allSettled(
        SERVICES.map(async (name) => stack.startService(name, await stack.envFor(name, options[name]))),
      );
      const failure = started.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
      return stack;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  get order(): ServiceProcess {
    return this.service('order');
  }
  get inventory(): ServiceProcess {
    return this.service('inventory');
  }
  get notify(): ServiceProcess {
    return this.service('notify');
  }

  databaseName(name: ServiceName): string {
    return `${name}_e2e_${this.runId}`;
  }

  databaseUrl(name: ServiceName): string {
    return databaseUrlFor(this.serverUrl, this.databaseName(name));
  }

  /** What the books-balance checker needs to read the books of `saleId`. */
  booksTarget(saleId: string, initialProductStock?: number): BooksTarget {
    return booksTargetOf(this.stackTarget(), saleId, initialProductStock);
  }

  /** Where this stack is, for the load-test tooling (the scenario runner, the sampler, the checker). */
  stackTarget(): StackTarget {
    return {
      orderUrl: this.order.url,
      inventoryUrl: this.inventory.url,
      notifyUrl: this.notify.url,
      nameServer: this.broker.namesrvAddr,
      databaseUrl: this.serverUrl,
      redisUrl: this.redisUrl,
      salePrefix: this.salePrefix,
      databases: {
        order: this.databaseName('order'),
        inventory: this.databaseName('inventory'),
        notify: this.databaseName('notify'),
      },
    };
  }

  /**
   * Starts a new order process with the settings of the current one (same database, Redis prefixes,
   * port, producer and consumer groups), as a supervisor restarting a crashed pod would. The current
   * one is stopped with SIGTERM first unless the test has already killed it.
   */
  async restartOrder(): Promise<ServiceProcess> {
    const old = this.order;
    await old.stop();
    return this.startService('order', old.env);
  }

  /** A JSON request to one of the services. */
  async http(name: ServiceName, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const response = await fetch(`${this.service(name).url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Json = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy error page, say): keep the text for the failure message.
    }
    return { status: response.status, body: parsed };
  }

  /** A product in inventory and an open sale of it in the order service, as the load tests make them. */
  async createSale(sale: {
    productStock: number;
    quantity: number;
    perUserLimit: number;
  }): Promise<{ id: string; sku: string }> {
    const created = await createSale({
      inventoryUrl: this.inventory.url,
      orderUrl: this.order.url,
      ...sale,
    });
    return { id: created.saleId, sku: created.sku };
  }

  /** Stops every process (SIGTERM), the broker, and removes the databases and Redis keys. */
  async stop(): Promise<void> {
    const problems: unknown[] = [];
    const attempt = async (work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        problems.push(error);
      }
    };
    await Promise.all([...this.services.values()].map((service) => attempt(() => service.stop())));
    await attempt(() => this.broker.stop());
    for (const name of SERVICES) {
      await attempt(() => dropDatabase(this.serverUrl, this.databaseName(name)));
      await attempt(() => deleteRedisKeys(this.redisUrl, this.redisKeyPrefix(name)));
    }
    await attempt(() => deleteRedisKeys(this.redisUrl, this.salePrefix));
    if (problems.length > 0) throw new AggregateError(problems, 'FlashSaleStack.stop() had problems');
  }

  private service(name: ServiceName): ServiceProcess {
    const service = this.services.get(name);
    if (!service) throw new Error(`the ${name} service is not running`);
    return service;
  }

  private redisKeyPrefix(name: ServiceName): string {
    return `e2e_${this.runId}_${name}:`;
  }

  private async envFor(
    name: ServiceName,
    extra: Record<string, string> = {},
  ): Promise<Record<string, string>> {
    return {
      PORT: String(await freePort()),
      DATABASE_URL: this.serverUrl,
      DB_NAME: this.databaseName(name),
      REDIS_URL: this.redisUrl,
      REDIS_KEY_PREFIX: this.redisKeyPrefix(name),
      SALE_KEY_PREFIX: this.salePrefix,
      NAMESRV_ADDR: this.broker.namesrvAddr,
      LOG_LEVEL: 'warn',
      // Three pools on one server that other test runs share; the services need few connections here.
      DB_POOL_SIZE: '8',
      ...extra,
    };
  }

  private async startService(name: ServiceName, env: Record<string, string>): Promise<ServiceProcess> {
    const service = await startServiceProcess(name, env);
    this.services.set(name, service);
    return service;
  }
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (the Jest global setup provides it)`);
  return value;
}
