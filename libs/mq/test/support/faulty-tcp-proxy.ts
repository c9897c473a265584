/**
 * A TCP relay between clients and a broker that can misbehave once on the broker → client direction,
 * to reproduce the network failures behind duplicate messages without touching the broker or client:
 *
 * - `dropNextResponse()`: the next bytes the broker sends are discarded and that client connection is
 *   cut — the broker did the work, the client never hears about it;
 * - `delayNextResponse(ms)`: the next bytes the broker sends reach the client `ms` later (everything
 *   after them on that connection waits too, as TCP would).
 *
 * Tests point clients at it by starting the broker with `brokerIP1` = the proxy's host (127.0.0.2) while
 * the broker listens on 127.0.0.1 with the same port: the NameServer route then leads through here.
 */
import { type Server, type Socket, connect, createServer } from 'node:net';

type Fault = { kind: 'DROP' } | { kind: 'DELAY'; millis: number };

export class FaultyTcpProxy {
  private fault: Fault | undefined;
  private readonly sockets = new Set<Socket>();
  private faults = 0;

  private constructor(private readonly server: Server) {}

  /** Listens on `listenHost:port` and relays every connection to `targetHost:port`. */
  static async start(listenHost: string, targetHost: string, port: number): Promise<FaultyTcpProxy> {
    const server = createServer();
    const proxy = new FaultyTcpProxy(server);
    server.on('connection', (client) => proxy.relay(client, targetHost, port));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, listenHost, () => resolve());
    });
    return proxy;
  }

  /** How many faults were injected so far. */
  get injectedFaults(): number {
    return this.faults;
  }

  dropNextResponse(): void {
    this.fault = { kind: 'DROP' };
  }

  delayNextResponse(millis: number): void {
    this.fault = { kind: 'DELAY', millis };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, targetHost: string, port: number): void {
    const upstream = connect(port, targetHost);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
    client.on('data', (chunk) => upstream.write(chunk));

    let heldUntil = 0;
    let held: Buffer[] = [];
    upstream.on('data', (chunk: Buffer) => {
      const fault = this.fault;
      if (fault !== undefined) {
        this.fault = undefined;
        this.faults++;
        if (fault.kind === 'DROP') {
          closeBoth();
          return;
        }
        heldUntil = Date.now() + fault.millis;
        held.push(chunk);
        setTimeout(() => {
          const release = held;
          held = [];
          for (const part of release) client.write(part);
        }, fault.millis);
        return;
      }
      if (Date.now() < heldUntil || held.length > 0) held.push(chunk);
      else client.write(chunk);
    });
  }
}
