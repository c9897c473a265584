/**
 * The client side of RocketMQ's remoting layer (`NettyRemotingClient`): one TCP connection per
 * NameServer or broker address, opened on first use and shared by every request to that address.
 *
 * Interview question: "How many connections does a RocketMQ client open?" — one per broker/NameServer
 * address per client instance, however many producers and consumers it hosts; requests are multiplexed
 * over it by opaque. A failed connect is not retried in a loop: the next request reconnects, but not
 * sooner than an exponential backoff (100 ms doubling to 5 s) allows, so a dead broker costs callers a
 * fast failure instead of a connect timeout each.
 */
import { type RemotingCommand, type RemotingRequestHandler } from '../protocol';
// Hot-path values come straight from their modules: through the '../protocol' barrel every use is a
// chain of CommonJS getters (see apps/broker/src/store/protocol.ts).
import { RemotingConnection, RemotingConnectionError } from '../protocol/remoting/remoting-connection';
import { type ClientLogger, silentClientLogger } from './client-logger';

const INITIAL_BACKOFF_MILLIS = 100;
const MAX_BACKOFF_MILLIS = 5000;

export interface RemotingClientOptions {
  logger?: ClientLogger;
  /**
   * Requests the server starts (NOTIFY_CONSUMER_IDS_CHANGED, CHECK_TRANSACTION_STATE, ...), with the
   * address of the connection they came on (a check-back is answered to the broker that asked).
   */
  onRequest?: (request: RemotingCommand, addr: string) => ReturnType<RemotingRequestHandler>;
  connectTimeoutMillis?: number;
}

interface ConnectBackoff {
  failures: number;
  retryAt: number;
  lastError: Error;
}

export class RemotingClient {
  private readonly connections = new Map<string, RemotingConnection>();
  private readonly connecting = new Map<string, Promise<RemotingConnection>>();
  private readonly backoff = new Map<string, ConnectBackoff>();
  private readonly logger: ClientLogger;
  private closed = false;

  constructor(private readonly options: RemotingClientOptions = {}) {
    this.logger = options.logger ?? silentClientLogger;
  }

  /** Request/response. Rejects with RemotingConnectionError / RemotingTimeoutError on transport failure. */
  invoke(addr: string, request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    const connection = this.connections.get(addr);
    // The hot path: an open connection is used synchronously, no extra promise hop.
    if (connection !== undefined && connection.isActive) return connection.invoke(request, timeoutMillis);
    return this.connect(addr).then((opened) => opened.invoke(request, timeoutMillis));
  }

  /** Fire-and-forget; resolves once the request is queued on the socket. */
  async invokeOneway(addr: string, request: RemotingCommand): Promise<void> {
    const connection = this.connections.get(addr);
    if (connection !== undefined && connection.isActive) {
      connection.invokeOneway(request);
      return;
    }
    (await this.connect(addr)).invokeOneway(request);
  }

  /** True when a connection to `addr` is open right now (no connect attempt). */
  isConnected(addr: string): boolean {
    return this.connections.get(addr)?.isActive === true;
  }

  /** Closes the connection to one address, e.g. a broker that left every route. */
  closeConnection(addr: string): void {
    const connection = this.connections.get(addr);
    this.connections.delete(addr);
    this.backoff.delete(addr);
    connection?.close();
  }

  get addresses(): string[] {
    return [...this.connections.keys()];
  }

  close(): void {
    this.closed = true;
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
    this.backoff.clear();
  }

  private connect(addr: string): Promise<RemotingConnection> {
    if (this.closed) {
      return Promise.reject(new RemotingConnectionError('CLOSED', addr, 'the remoting client is closed'));
    }
    const pending = this.connecting.get(addr);
    if (pending !== undefined) return pending;
    const backoff = this.backoff.get(addr);
    if (backoff !== undefined && Date.now() < backoff.retryAt) {
      const wait = backoff.retryAt - Date.now();
      const message = `not reconnecting to ${addr} for another ${wait} ms: ${backoff.lastError.message}`;
      return Promise.reject(new RemotingConnectionError('CONNECT_FAILED', addr, message));
    }
    const onRequest = this.options.onRequest;
    const attempt = RemotingConnection.connect(addr, {
      logger: this.logger,
      onRequest: onRequest === undefined ? undefined : (request) => onRequest(request, addr),
      connectTimeoutMillis: this.options.connectTimeoutMillis,
    }).then(
      (connection) => this.onConnected(addr, connection),
      (error: Error) => this.onConnectFailed(addr, error),
    );
    this.connecting.set(addr, attempt);
    return attempt;
  }

  private onConnected(addr: string, connection: RemotingConnection): RemotingConnection {
    this.connecting.delete(addr);
    this.backoff.delete(addr);
    if (this.closed) {
      connection.close();
      throw new RemotingConnectionError('CLOSED', addr, 'the remoting client is closed');
    }
    this.connections.set(addr, connection);
    connection.onClose((closed, cause) => {
      if (this.connections.get(addr) === closed) this.connections.delete(addr);
      this.logger.debug(`connection to ${addr} closed${cause ? `: ${cause.message}` : ''}`);
    });
    return connection;
  }

  private onConnectFailed(addr: string, error: Error): never {
    this.connecting.delete(addr);
    const failures = (this.backoff.get(addr)?.failures ?? 0) + 1;
    const delay = Math.min(INITIAL_BACKOFF_MILLIS * 2 ** (failures - 1), MAX_BACKOFF_MILLIS);
    this.backoff.set(addr, { failures, retryAt: Date.now() + delay, lastError: error });
    this.logger.warn(
      `connect to ${addr} failed (attempt ${failures}, next in ${delay} ms): ${error.message}`,
    );
    throw error;
  }
}
