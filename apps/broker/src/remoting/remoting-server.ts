/**
 * The server side of RocketMQ remoting (NettyRemotingServer): accepts TCP connections, decodes frames,
 * hands each request to the processor registered for its code and writes the answer back on the same
 * connection. Both the NameServer and the broker are one of these plus their processors.
 *
 * Interview question: "What happens to a request inside a RocketMQ server?" — the frame is decoded on
 * the connection, the request code picks a processor from the processor table (or the default one),
 * the processor returns a response with the request's opaque, and unknown codes get
 * REQUEST_CODE_NOT_SUPPORTED. One bad connection (a malformed frame, an idle client) is closed without
 * touching the others.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  createResponse,
  ResponseCode,
  type RemotingCommand,
  type RemotingLogger,
} from '@flashsale/mq/protocol';
import type { RemotingChannel } from './remoting-channel';
import type { RequestProcessor } from './request-processor';
import { SocketChannel } from './socket-channel';

export interface RemotingServerOptions {
  /** Address to bind; RocketMQ binds every interface. */
  host?: string;
  /** 0 lets the OS pick a free port (read it from `port` after start). */
  port: number;
  logger: RemotingLogger;
  /** Largest accepted frame; RocketMQ's default is 16 MiB. */
  maxFrameLength?: number;
  /** `serverChannelMaxIdleTimeSeconds`: a connection without traffic this long is closed. */
  channelMaxIdleSeconds?: number;
}

export type ChannelListener = (channel: RemotingChannel) => void;

const DEFAULT_HOST = '0.0.0.0';
const DEFAULT_CHANNEL_MAX_IDLE_SECONDS = 120;
const REJECT_REQUEST_REMARK = '[REJECTREQUEST]system busy, start flow control for a while';

export class RemotingServer {
  private readonly server: Server;
  private readonly logger: RemotingLogger;
  private readonly processorTable = new Map<number, RequestProcessor>();
  private defaultProcessor: RequestProcessor | undefined;
  private readonly channels = new Set<SocketChannel>();
  private readonly connectListeners: ChannelListener[] = [];
  private readonly closeListeners: ChannelListener[] = [];
  private channelSequence = 0;
  private listening = false;

  constructor(private readonly options: RemotingServerOptions) {
    this.logger = options.logger;
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server.on('error', (error) => this.logger.error(`remoting server error: ${error.message}`));
  }

  /** Routes one request code to `processor`; a later registration for the same code replaces it. */
  registerProcessor(code: number, processor: RequestProcessor): void {
    this.processorTable.set(code, processor);
  }

  /** Handles every code without a registered processor (the broker's AdminBrokerProcessor role). */
  registerDefaultProcessor(processor: RequestProcessor): void {
    this.defaultProcessor = processor;
  }

  onChannelConnect(listener: ChannelListener): void {
    this.connectListeners.push(listener);
  }

  onChannelClose(listener: ChannelListener): void {
    this.closeListeners.push(listener);
  }

  start(): Promise<void> {
    const host = this.options.host ?? DEFAULT_HOST;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen({ host, port: this.options.port }, () => {
        this.server.off('error', onError);
        this.listening = true;
        this.logger.info(`remoting server listening on ${host}:${this.port}`);
        resolve();
      });
    });
  }

  /** The bound port once started (the configured one before). */
  get port(): number {
    if (!this.listening) return this.options.port;
    return (this.server.address() as AddressInfo).port;
  }

  get channelCount(): number {
    return this.channels.size;
  }

  /** Stops accepting, closes every connection (failing their pending invokes) and waits for the socket. */
  close(): Promise<void> {
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const channel of [...this.channels]) channel.close();
    return closed;
  }

  private accept(socket: Socket): void {
    const idleSeconds = this.options.channelMaxIdleSeconds ?? DEFAULT_CHANNEL_MAX_IDLE_SECONDS;
    const channel = new SocketChannel(socket, ++this.channelSequence, {
      logger: this.logger,
      maxFrameLength: this.options.maxFrameLength,
      idleTimeoutMillis: idleSeconds * 1000,
      onRequest: (from, request) => this.dispatch(from, request),
    });
    this.channels.add(channel);
    channel.onClose(() => this.forget(channel));
    this.logger.debug(`channel ${channel.id} connected`);
    this.notify(this.connectListeners, channel);
  }

  private forget(channel: SocketChannel): void {
    this.channels.delete(channel);
    this.logger.debug(`channel ${channel.id} closed`);
    this.notify(this.closeListeners, channel);
  }

  /**
   * Picks the processor for the request code. Errors thrown here or by the processor are answered by
   * the connection (SYSTEM_ERROR, or the error's responseCode) and logged; ONEWAY requests get nothing.
   */
  private dispatch(
    channel: SocketChannel,
    request: RemotingCommand,
  ): RemotingCommand | undefined | Promise<RemotingCommand | undefined> {
    const processor = this.processorTable.get(request.code) ?? this.defaultProcessor;
    if (processor === undefined) {
      this.logger.warn(`request code ${request.code} from ${channel.id} is not supported`);
      const remark = ` request type ${request.code} not supported`;
      return createResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {}, undefined, remark);
    }
    if (processor.rejectRequest?.() === true) {
      return createResponse(request, ResponseCode.SYSTEM_BUSY, {}, undefined, REJECT_REQUEST_REMARK);
    }
    return processor.processRequest(channel, request);
  }

  private notify(listeners: readonly ChannelListener[], channel: RemotingChannel): void {
    for (const listener of listeners) {
      try {
        listener(channel);
      } catch (error) {
        this.logger.error(`channel listener failed for ${channel.id}: ${(error as Error).message}`);
      }
    }
  }
}
