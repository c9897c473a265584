/**
 * One end of a remoting TCP connection: what RocketMQ's NettyRemotingClient does for a single channel,
 * together with NettyRemotingAbstract's response table. Our client library and the broker (when it
 * registers with NameServers) open one with `RemotingConnection.connect`; the broker's remoting server
 * wraps every accepted socket in one with `RemotingConnection.fromSocket`, so both sides share one
 * implementation of framing, request/response matching, timeouts and write batching.
 *
 * Interview question: "How can a client keep thousands of requests in flight on one TCP connection,
 * and how does it time them out?" — each request carries an `opaque`; the requester parks a pending
 * entry under it and the peer's response (same opaque, RESPONSE flag) completes it, in any order.
 * Deadlines are swept by one periodic timer per connection instead of one timer per request (RocketMQ
 * scans its responseTable every second; we sweep every 20 ms for tighter timeouts).
 */
import { connect as connectSocket, type Socket } from 'node:net';
import { type SocketAddress } from '../message/message-record';
import { parseSocketAddress } from '../message/socket-address';
import { RemotingFrameDecoder } from './frame-decoder';
import { createResponse, isOneway, isResponse, markOneway, type RemotingCommand } from './remoting-command';
import { encodeRemotingCommand, encodeRemotingCommandHead } from './remoting-command-codec';
import { RemotingDecodeError } from './remoting-errors';
import { RemotingFlag } from './remoting-flag';
import { ResponseCode } from './response-code';

// ---------------------------------------------------------------------------------------------------
// Collaborators: logger, request handler, typed errors
// ---------------------------------------------------------------------------------------------------

/** The remoting layer never writes to the console; its owner passes a logger (pino, or silence). */
export interface RemotingLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export const silentRemotingLogger: RemotingLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/**
 * Answers a request the peer started (on a client: NOTIFY_CONSUMER_IDS_CHANGED, CHECK_TRANSACTION_STATE;
 * on the broker: everything). Return the response, or undefined for "nothing to send now". A thrown
 * error becomes SYSTEM_ERROR (or the error's numeric `responseCode`) with the message as remark.
 */
export type RemotingRequestHandler = (
  request: RemotingCommand,
) => RemotingCommand | undefined | Promise<RemotingCommand | undefined>;

export type RemotingConnectionErrorReason =
  'CONNECT_FAILED' | 'CONNECT_TIMEOUT' | 'CLOSED' | 'DUPLICATE_OPAQUE';

/** The connection cannot carry the request: it never opened, or it is (now) closed. */
export class RemotingConnectionError extends Error {
  override readonly name: string = 'RemotingConnectionError';

  constructor(
    readonly reason: RemotingConnectionErrorReason,
    /** The peer, "host:port". */
    readonly address: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A pending invoke lost its connection before the answer came; the request may or may not have run. */
export class RemotingConnectionClosedError extends RemotingConnectionError {
  override readonly name = 'RemotingConnectionClosedError';

  constructor(address: string, cause?: unknown) {
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    super('CLOSED', address, `connection to ${address} is closed${why}`, { cause });
  }
}

/** No response within the caller's timeout. The connection stays open; a late answer is dropped. */
export class RemotingTimeoutError extends Error {
  override readonly name = 'RemotingTimeoutError';

  constructor(
    readonly address: string,
    /** Request code of the unanswered request. */
    readonly code: number,
    readonly opaque: number,
    readonly timeoutMillis: number,
  ) {
    super(`request code ${code} (opaque ${opaque}) to ${address} timed out after ${timeoutMillis} ms`);
  }
}

// ---------------------------------------------------------------------------------------------------
// The response table: pending invokes by opaque, with deadlines in 20 ms slots
// ---------------------------------------------------------------------------------------------------

const SWEEP_INTERVAL_MILLIS = 20;

interface PendingInvoke {
  readonly opaque: number;
  readonly code: number;
  readonly timeoutMillis: number;
  readonly slot: number;
  readonly resolve: (response: RemotingCommand) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Pending invokes keyed by opaque, and also filed under the sweep slot their deadline falls in, so a
 * sweep only looks at the slots that have come due and a completed invoke leaves its slot in O(1).
 * The sweep timer runs only while something is pending: an idle connection costs no timer wake-ups.
 */
class ResponseTable {
  private readonly byOpaque = new Map<number, PendingInvoke>();
  private readonly slots = new Map<number, Set<PendingInvoke>>();
  private sweptUpToSlot = 0;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly onExpired: (pending: PendingInvoke) => void) {}

  get size(): number {
    return this.byOpaque.size;
  }

  /** False when the opaque is already pending (a 2^32 wrap-around, or a caller reusing a command). */
  add(entry: Omit<PendingInvoke, 'slot'>): boolean {
    if (this.byOpaque.has(entry.opaque)) return false;
    const now = Date.now();
    if (this.sweepTimer === undefined) this.startSweeping(now);
    // The slot after the deadline's own: a timeout may fire up to one sweep late, never early.
    const slot = Math.floor((now + entry.timeoutMillis) / SWEEP_INTERVAL_MILLIS) + 1;
    // A literal of one fixed shape, not a spread: this runs once per request on the hot path.
    const pending: PendingInvoke = {
      opaque: entry.opaque,
      code: entry.code,
      timeoutMillis: entry.timeoutMillis,
      slot,
      resolve: entry.resolve,
      reject: entry.reject,
    };
    this.byOpaque.set(pending.opaque, pending);
    let bucket = this.slots.get(slot);
    if (bucket === undefined) {
      bucket = new Set();
      this.slots.set(slot, bucket);
    }
    bucket.add(pending);
    return true;
  }

  /** Removes and returns the invoke waiting for this opaque, if any. */
  take(opaque: number): PendingInvoke | undefined {
    const pending = this.byOpaque.get(opaque);
    if (pending === undefined) return undefined;
    this.byOpaque.delete(opaque);
    const bucket = this.slots.get(pending.slot);
    if (bucket !== undefined) {
      bucket.delete(pending);
      if (bucket.size === 0) this.slots.delete(pending.slot);
    }
    return pending;
  }

  rejectAll(error: Error): void {
    const all = [...this.byOpaque.values()];
    this.byOpaque.clear();
    this.slots.clear();
    this.stopSweeping();
    for (const pending of all) pending.reject(error);
  }

  private startSweeping(now: number): void {
    this.sweptUpToSlot = Math.floor(now / SWEEP_INTERVAL_MILLIS);
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MILLIS);
    // A pending request must not keep a process alive on its own; its caller's promise does that.
    this.sweepTimer.unref();
  }

  private stopSweeping(): void {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private sweep(): void {
    const dueSlot = Math.floor(Date.now() / SWEEP_INTERVAL_MILLIS);
    for (const slot of this.dueSlots(dueSlot)) {
      const bucket = this.slots.get(slot);
      if (bucket === undefined) continue;
      this.slots.delete(slot);
      for (const pending of bucket) {
        this.byOpaque.delete(pending.opaque);
        this.onExpired(pending);
      }
    }
    this.sweptUpToSlot = dueSlot;
    if (this.byOpaque.size === 0) this.stopSweeping();
  }

  /** Slots that came due since the last sweep; after a long event-loop stall, only the occupied ones. */
  private dueSlots(dueSlot: number): number[] {
    if (dueSlot - this.sweptUpToSlot > this.slots.size) {
      return [...this.slots.keys()].filter((slot) => slot <= dueSlot);
    }
    const due: number[] = [];
    for (let slot = this.sweptUpToSlot + 1; slot <= dueSlot; slot++) due.push(slot);
    return due;
  }
}

// ---------------------------------------------------------------------------------------------------
// The connection
// ---------------------------------------------------------------------------------------------------

export interface RemotingConnectionOptions {
  logger?: RemotingLogger;
  /** Handles requests from the peer; without one they are answered REQUEST_CODE_NOT_SUPPORTED. */
  onRequest?: RemotingRequestHandler;
  /** Largest accepted frame; RocketMQ's default is 16 MiB. */
  maxFrameLength?: number;
  /** Close after this long without reads or writes (Netty's all-idle event); 0 or absent = never. */
  idleTimeoutMillis?: number;
}

export interface RemotingConnectOptions extends RemotingConnectionOptions {
  /** RocketMQ's `connectTimeoutMillis` default is 3 s. */
  connectTimeoutMillis?: number;
}

export type RemotingConnectionCloseListener = (connection: RemotingConnection, cause?: Error) => void;

const DEFAULT_CONNECT_TIMEOUT_MILLIS = 3000;

/**
 * Bodies at least this large are written after their head as a separate buffer instead of being
 * copied into one frame; smaller ones are cheaper to copy than to hand to writev as extra iovecs.
 */
const SEPARATE_BODY_BYTES = 1024;

export class RemotingConnection {
  /** The peer as "host:port". */
  readonly address: string;
  readonly remoteAddress: SocketAddress;
  private readonly logger: RemotingLogger;
  private readonly requestHandler: RemotingRequestHandler;
  private readonly decoder: RemotingFrameDecoder;
  private readonly responses: ResponseTable;
  private readonly closeListeners: RemotingConnectionCloseListener[] = [];
  private active = true;
  private corked = false;
  private failure: Error | undefined;

  /** Opens a TCP connection to "host:port"; rejects with RemotingConnectionError on failure or timeout. */
  static connect(address: string, options: RemotingConnectOptions = {}): Promise<RemotingConnection> {
    let target: SocketAddress;
    try {
      target = parseSocketAddress(address);
    } catch (error) {
      return Promise.reject(
        new RemotingConnectionError('CONNECT_FAILED', address, `bad address ${address}`, { cause: error }),
      );
    }
    const timeoutMillis = options.connectTimeoutMillis ?? DEFAULT_CONNECT_TIMEOUT_MILLIS;
    return new Promise((resolve, reject) => {
      const socket = connectSocket({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        socket.destroy();
        const message = `connect to ${address} timed out after ${timeoutMillis} ms`;
        reject(new RemotingConnectionError('CONNECT_TIMEOUT', address, message));
      }, timeoutMillis);
      const onError = (error: Error): void => {
        clearTimeout(timer);
        const message = `connect to ${address} failed: ${error.message}`;
        reject(new RemotingConnectionError('CONNECT_FAILED', address, message, { cause: error }));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new RemotingConnection(socket, address, options));
      });
    });
  }

  /** Wraps a socket that is already connected, e.g. one a server accepted. */
  static fromSocket(socket: Socket, options: RemotingConnectionOptions = {}): RemotingConnection {
    const address = `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`;
    return new RemotingConnection(socket, address, options);
  }

  private constructor(
    private readonly socket: Socket,
    address: string,
    options: RemotingConnectionOptions,
  ) {
    this.address = address;
    this.remoteAddress = { host: socket.remoteAddress ?? 'unknown', port: socket.remotePort ?? 0 };
    this.logger = options.logger ?? silentRemotingLogger;
    this.requestHandler = options.onRequest ?? answerNotSupported;
    this.decoder = new RemotingFrameDecoder((command) => this.onCommand(command), {
      maxFrameLength: options.maxFrameLength,
    });
    this.responses = new ResponseTable((pending) => this.expire(pending));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.onSocketError(error));
    socket.on('close', () => this.shutdown());
    if (options.idleTimeoutMillis) {
      socket.setTimeout(options.idleTimeoutMillis, () => this.onIdle(options.idleTimeoutMillis ?? 0));
    }
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Invokes still waiting for their response. */
  get pendingInvokes(): number {
    return this.responses.size;
  }

  /** False while the kernel is not taking our writes as fast as we make them (back-pressure). */
  get isWritable(): boolean {
    return this.active && !this.socket.writableNeedDrain;
  }

  /**
   * Queues one command for the peer, as is: a response, or a request nobody waits for. Returns false
   * when the connection is closed. Writes made in the same tick go out together in one writev.
   */
  write(command: RemotingCommand): boolean {
    if (!this.active || !this.socket.writable) return false;
    const body = command.body;
    if (body !== undefined && body.length >= SEPARATE_BODY_BYTES) {
      const head = encodeRemotingCommandHead(command);
      this.corkUntilNextTick();
      this.socket.write(head);
      this.socket.write(body);
      return true;
    }
    const frame = encodeRemotingCommand(command);
    this.corkUntilNextTick();
    this.socket.write(frame);
    return true;
  }

  /** Sends a request and resolves with the peer's response (matched by opaque). */
  invoke(request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    if (!this.active) return Promise.reject(new RemotingConnectionClosedError(this.address, this.failure));
    return new Promise<RemotingCommand>((resolve, reject) => {
      const { opaque, code } = request;
      if (!this.responses.add({ opaque, code, timeoutMillis, resolve, reject })) {
        const message = `opaque ${opaque} is already waiting for a response from ${this.address}`;
        reject(new RemotingConnectionError('DUPLICATE_OPAQUE', this.address, message));
        return;
      }
      try {
        if (!this.write(request)) throw new RemotingConnectionClosedError(this.address, this.failure);
      } catch (error) {
        this.responses.take(opaque);
        reject(error as Error);
      }
    });
  }

  /** Sends a request flagged ONEWAY: the peer must not answer it. Throws when the connection is closed. */
  invokeOneway(request: RemotingCommand): void {
    if (!this.write(markOneway(request))) throw new RemotingConnectionClosedError(this.address, this.failure);
  }

  /** Flushes what this tick queued, closes the socket and fails every pending invoke. */
  close(): void {
    if (!this.active) return;
    this.flush();
    this.shutdown();
    this.socket.destroy();
  }

  /** Called once, when the connection closes for any reason (with the socket error, if there was one). */
  onClose(listener: RemotingConnectionCloseListener): void {
    if (this.active) this.closeListeners.push(listener);
    else this.notifyClosed(listener);
  }

  // --- reading -------------------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    try {
      this.decoder.push(chunk);
    } catch (error) {
      // The byte stream can no longer be trusted, so this connection goes; nobody else is affected.
      const reason = error instanceof RemotingDecodeError ? 'malformed frame' : 'decoding failed';
      this.logger.warn(`closing connection ${this.address}: ${reason}: ${messageOf(error)}`);
      this.failure = error as Error;
      this.shutdown();
      this.socket.destroy();
    }
  }

  private onCommand(command: RemotingCommand): void {
    if (isResponse(command)) this.completeInvoke(command);
    else this.handleRequest(command);
  }

  private completeInvoke(response: RemotingCommand): void {
    const pending = this.responses.take(response.opaque);
    if (pending === undefined) {
      this.logger.warn(`response opaque ${response.opaque} from ${this.address} matches no pending request`);
      return;
    }
    pending.resolve(response);
  }

  private expire(pending: PendingInvoke): void {
    this.logger.debug(`request code ${pending.code} opaque ${pending.opaque} to ${this.address} timed out`);
    pending.reject(
      new RemotingTimeoutError(this.address, pending.code, pending.opaque, pending.timeoutMillis),
    );
  }

  // --- answering the peer's requests ---------------------------------------------------------------

  private handleRequest(request: RemotingCommand): void {
    let result: ReturnType<RemotingRequestHandler>;
    try {
      result = this.requestHandler(request);
    } catch (error) {
      this.answerWithError(request, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (response) => this.answer(request, response),
        (error: unknown) => this.answerWithError(request, error),
      );
      return;
    }
    this.answer(request, result);
  }

  private answer(request: RemotingCommand, response: RemotingCommand | undefined): void {
    if (response === undefined || isOneway(request)) return;
    // Whatever the handler built, the peer can only match and read it like this.
    response.opaque = request.opaque;
    response.flag |= RemotingFlag.RESPONSE;
    response.serializeType = request.serializeType;
    try {
      this.write(response);
    } catch (error) {
      this.answerWithError(request, error);
    }
  }

  private answerWithError(request: RemotingCommand, error: unknown): void {
    const message = messageOf(error);
    this.logger.error(`request code ${request.code} from ${this.address} failed: ${message}`);
    if (isOneway(request)) return;
    this.write(createResponse(request, responseCodeOf(error), {}, undefined, message));
  }

  // --- writing -------------------------------------------------------------------------------------

  /**
   * Under load a tick answers many small requests; corking until the tick ends turns their writes into
   * one writev system call instead of one write each.
   */
  private corkUntilNextTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(this.flush);
  }

  private readonly flush = (): void => {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  };

  // --- closing -------------------------------------------------------------------------------------

  private onIdle(idleTimeoutMillis: number): void {
    this.logger.info(`closing connection ${this.address}: idle for ${idleTimeoutMillis} ms`);
    this.close();
  }

  private onSocketError(error: Error): void {
    this.failure ??= error;
    this.logger.warn(`connection ${this.address} failed: ${error.message}`);
  }

  private shutdown(): void {
    if (!this.active) return;
    this.active = false;
    this.responses.rejectAll(new RemotingConnectionClosedError(this.address, this.failure));
    const listeners = this.closeListeners.splice(0);
    for (const listener of listeners) this.notifyClosed(listener);
  }

  private notifyClosed(listener: RemotingConnectionCloseListener): void {
    try {
      listener(this, this.failure);
    } catch (error) {
      this.logger.error(`close listener of ${this.address} failed: ${messageOf(error)}`);
    }
  }
}

function answerNotSupported(request: RemotingCommand): RemotingCommand {
  const remark = ` request type ${request.code} not supported`;
  return createResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {}, undefined, remark);
}

/** Typed errors may carry the response code to answer with (HeaderFieldError does). */
function responseCodeOf(error: unknown): number {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' ? code : ResponseCode.SYSTEM_ERROR;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
