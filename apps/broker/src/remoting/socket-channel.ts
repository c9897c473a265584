/**
 * The broker's RemotingChannel over one accepted TCP socket (the role of Netty's channel in
 * NettyRemotingServer). Framing, opaque matching, invoke timeouts, write batching and failing pending
 * invokes on close all live in RemotingConnection, which the client side uses too; this class adds
 * what the broker's managers need: a stable id and the channel as the argument of close listeners.
 *
 * Interview question: "How does a broker call a client back, e.g. to check a transaction?" — over the
 * same connection the client opened: the broker sends a request with its own opaque down the channel
 * and the client's answer comes back flagged RESPONSE with that opaque.
 */
import type { Socket } from 'node:net';
import {
  RemotingConnection,
  type RemotingCommand,
  type RemotingConnectionOptions,
  type SocketAddress,
} from '@flashsale/mq/protocol';
import type { RemotingChannel } from './remoting-channel';

export type ChannelRequestHandler = (
  channel: SocketChannel,
  request: RemotingCommand,
) => ReturnType<NonNullable<RemotingConnectionOptions['onRequest']>>;

export interface SocketChannelOptions extends Omit<RemotingConnectionOptions, 'onRequest'> {
  onRequest: ChannelRequestHandler;
}

export class SocketChannel implements RemotingChannel {
  readonly id: string;
  readonly remoteAddress: SocketAddress;
  private readonly connection: RemotingConnection;

  constructor(socket: Socket, sequence: number, options: SocketChannelOptions) {
    const { onRequest, ...connectionOptions } = options;
    this.connection = RemotingConnection.fromSocket(socket, {
      ...connectionOptions,
      onRequest: (request) => onRequest(this, request),
    });
    this.remoteAddress = this.connection.remoteAddress;
    this.id = `${this.connection.address}#${sequence}`;
  }

  get isActive(): boolean {
    return this.connection.isActive;
  }

  /** False while the socket's send buffer is over its high-water mark. */
  get isWritable(): boolean {
    return this.connection.isWritable;
  }

  write(command: RemotingCommand): boolean {
    return this.connection.write(command);
  }

  invoke(command: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    return this.connection.invoke(command, timeoutMillis);
  }

  close(): void {
    this.connection.close();
  }

  onClose(listener: (channel: RemotingChannel) => void): void {
    this.connection.onClose(() => listener(this));
  }

  toString(): string {
    return this.id;
  }
}
