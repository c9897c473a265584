import { connect, type Socket } from 'node:net';
import {
  createRequest,
  createResponse,
  encodeRemotingCommand,
  HeaderFieldError,
  isResponse,
  markOneway,
  RemotingConnection,
  RemotingConnectionClosedError,
  RemotingFrameDecoder,
  RemotingTimeoutError,
  requireString,
  type RemotingCommand,
  type RemotingLogger,
} from '@flashsale/mq/protocol';
import { RemotingServer, type RemotingChannel, type RequestProcessor } from '../../src/remoting';

/** Keeps what the server logs, so tests can check that a dropped connection was reported. */
function recordingLogger(): RemotingLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return {
    lines,
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    debug: record('debug'),
  };
}

const echoProcessor: RequestProcessor = {
  processRequest: (_channel, request) => createResponse(request, 0, { ...request.extFields }, request.body),
};

/** A raw client socket with a frame decoder, for what RemotingConnection would never send. */
interface RawClient {
  socket: Socket;
  received: RemotingCommand[];
  closed: Promise<void>;
}

async function rawClient(port: number): Promise<RawClient> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const received: RemotingCommand[] = [];
  const decoder = new RemotingFrameDecoder((command) => received.push(command));
  socket.on('data', (chunk) => decoder.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received, closed };
}

async function waitFor(condition: () => boolean, timeoutMillis = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMillis) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('RemotingServer', () => {
  let server: RemotingServer;
  let logger: ReturnType<typeof recordingLogger>;
  const connections: RemotingConnection[] = [];
  const sockets: Socket[] = [];

  async function client(options: Parameters<typeof RemotingConnection.connect>[1] = {}) {
    const connection = await RemotingConnection.connect(`127.0.0.1:${server.port}`, options);
    connections.push(connection);
    return connection;
  }

  async function raw(): Promise<RawClient> {
    const c = await rawClient(server.port);
    sockets.push(c.socket);
    return c;
  }

  beforeEach(async () => {
    logger = recordingLogger();
    server = new RemotingServer({ host: '127.0.0.1', port: 0, logger });
    server.registerProcessor(11, echoProcessor);
    await server.start();
  });

  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.close();
    for (const socket of sockets.splice(0)) socket.destroy();
    await server.close();
  });

  it('listens on a free port', () => {
    expect(server.port).toBeGreaterThan(0);
  });

  it.each(['JSON', 'ROCKETMQ'] as const)('dispatches to the processor and answers in %s', async (type) => {
    const connection = await client();
    const request = createRequest(11, { topic: 'orders', queueId: '3' }, Buffer.from('payload'), type);
    const response = await connection.invoke(request, 2000);
    expect(response.code).toBe(0);
    expect(response.opaque).toBe(request.opaque);
    expect(isResponse(response)).toBe(true);
    expect(response.serializeType).toBe(type);
    expect(response.extFields).toEqual({ topic: 'orders', queueId: '3' });
    expect(response.body?.toString()).toBe('payload');
  });

  it('answers an unknown code with REQUEST_CODE_NOT_SUPPORTED', async () => {
    const connection = await client();
    const response = await connection.invoke(createRequest(999), 2000);
    expect(response.code).toBe(3);
    expect(response.remark).toBe(' request type 999 not supported');
  });

  it('sends unknown codes to the default processor when there is one', async () => {
    server.registerDefaultProcessor({
      processRequest: (_channel, request) => createResponse(request, 0, { handledBy: 'default' }),
    });
    const connection = await client();
    const response = await connection.invoke(createRequest(999), 2000);
    expect(response.extFields).toEqual({ handledBy: 'default' });
  });

  it('never answers a ONEWAY request but answers unflagged ones (ali-ons "oneway")', async () => {
    const seen: number[] = [];
    server.registerProcessor(15, {
      processRequest: (_channel, request) => {
        seen.push(request.opaque);
        return createResponse(request, 0);
      },
    });
    const c = await raw();
    const oneway = markOneway(createRequest(15));
    const unflagged = createRequest(15);
    c.socket.write(Buffer.concat([encodeRemotingCommand(oneway), encodeRemotingCommand(unflagged)]));
    await waitFor(() => c.received.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([oneway.opaque, unflagged.opaque]);
    expect(c.received.map((r) => r.opaque)).toEqual([unflagged.opaque]);
  });

  it('turns a thrown error into SYSTEM_ERROR with its message, and logs it', async () => {
    server.registerProcessor(12, {
      processRequest: () => {
        throw new Error('index file is corrupt');
      },
    });
    server.registerProcessor(13, { processRequest: async () => Promise.reject(new Error('async failure')) });
    server.registerProcessor(14, {
      processRequest: (_channel, request) => {
        requireString(request.extFields, 'consumerGroup');
        return createResponse(request, 0);
      },
    });
    const connection = await client();
    const sync = await connection.invoke(createRequest(12), 2000);
    expect([sync.code, sync.remark]).toEqual([1, 'index file is corrupt']);
    const async = await connection.invoke(createRequest(13), 2000);
    expect([async.code, async.remark]).toEqual([1, 'async failure']);
    const header = await connection.invoke(createRequest(14), 2000);
    expect([header.code, header.remark]).toEqual([
      1,
      new HeaderFieldError('consumerGroup', 'MISSING').message,
    ]);
    expect(
      logger.lines.some((line) => line.startsWith('error') && line.includes('index file is corrupt')),
    ).toBe(true);
  });

  it('answers with the responseCode a typed error carries', async () => {
    class TopicMissingError extends Error {
      readonly responseCode = 17;
    }
    server.registerProcessor(12, {
      processRequest: () => {
        throw new TopicMissingError('topic orders not exist');
      },
    });
    const response = await (await client()).invoke(createRequest(12), 2000);
    expect([response.code, response.remark]).toEqual([17, 'topic orders not exist']);
  });

  it('answers SYSTEM_BUSY when the processor rejects requests', async () => {
    server.registerProcessor(310, {
      processRequest: echoProcessor.processRequest,
      rejectRequest: () => true,
    });
    const response = await (await client()).invoke(createRequest(310), 2000);
    expect(response.code).toBe(2);
    expect(response.remark).toContain('[REJECTREQUEST]');
  });

  it('lets a processor answer later through channel.write (a parked long poll)', async () => {
    server.registerProcessor(11, {
      processRequest: (channel, request) => {
        setTimeout(() => channel.write(createResponse(request, 19, { nextBeginOffset: '0' })), 30);
        return undefined;
      },
    });
    const response = await (await client()).invoke(createRequest(11), 2000);
    expect(response.code).toBe(19);
  });

  it.each([
    ['garbage bytes', Buffer.from('GET / HTTP/1.1\r\nHost: broker\r\n\r\n')],
    ['a 2 GB length prefix', Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0])],
    ['a negative length prefix', Buffer.from([0x80, 0x00, 0x00, 0x00, 0, 0, 0, 0])],
    ['an unknown serialize type', Buffer.from([0, 0, 0, 6, 0x05, 0, 0, 2, 0x7b, 0x7d])],
  ])('closes only the connection that sent %s', async (_name, bytes) => {
    const healthy = await client();
    const bad = await raw();
    const port = bad.socket.localPort;
    bad.socket.write(bytes);
    await bad.closed;
    const response = await healthy.invoke(createRequest(11, { still: 'served' }), 2000);
    expect(response.extFields).toEqual({ still: 'served' });
    expect(logger.lines.some((line) => line.startsWith('warn') && line.includes(`127.0.0.1:${port}`))).toBe(
      true,
    );
    const another = await client();
    expect((await another.invoke(createRequest(11), 2000)).code).toBe(0);
  });

  it('answers 1,000 pipelined requests in order with their own opaques', async () => {
    const c = await raw();
    const requests = Array.from({ length: 1000 }, (_, i) => createRequest(11, { i: String(i) }));
    c.socket.write(Buffer.concat(requests.map((request) => encodeRemotingCommand(request))));
    await waitFor(() => c.received.length === 1000);
    c.received.forEach((response, i) => {
      expect(response.opaque).toBe(requests[i].opaque);
      expect(response.extFields['i']).toBe(String(i));
    });
  });

  it('answers requests pipelined by many clients at once', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => client()));
    const all = clients.flatMap((connection, c) =>
      Array.from({ length: 500 }, (_, i) =>
        connection.invoke(createRequest(11, { key: `${c}-${i}` }), 5000).then((r) => r.extFields['key']),
      ),
    );
    const keys = await Promise.all(all);
    expect(new Set(keys).size).toBe(4000);
  });

  describe('server → client requests', () => {
    async function connectedChannel(options: Parameters<typeof client>[0]): Promise<RemotingChannel> {
      const channel = new Promise<RemotingChannel>((resolve) => server.onChannelConnect(resolve));
      await client(options);
      return channel;
    }

    it('completes channel.invoke with the client response', async () => {
      const channel = await connectedChannel({
        onRequest: (request) => createResponse(request, 0, { group: request.extFields['group'] }),
      });
      const response = await channel.invoke(createRequest(39, { group: 'tx-group' }), 2000);
      expect(response.code).toBe(0);
      expect(response.extFields).toEqual({ group: 'tx-group' });
      expect(channel.remoteAddress.host).toBe('127.0.0.1');
      expect(channel.id).toMatch(/^127\.0\.0\.1:\d+#\d+$/);
    });

    it('rejects channel.invoke with RemotingTimeoutError when the client never answers', async () => {
      const channel = await connectedChannel({ onRequest: () => undefined });
      const error = await channel.invoke(createRequest(40), 80).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemotingTimeoutError);
      expect(channel.isActive).toBe(true);
    });

    it('fails pending invokes with RemotingConnectionClosedError when the client goes away', async () => {
      const channel = await connectedChannel({ onRequest: () => undefined });
      const pending = channel.invoke(createRequest(40), 5000);
      connections[0].close();
      await expect(pending).rejects.toBeInstanceOf(RemotingConnectionClosedError);
    });
  });

  it('reports closed channels and forgets them', async () => {
    const closed = new Promise<RemotingChannel>((resolve) => server.onChannelClose(resolve));
    const connection = await client();
    await connection.invoke(createRequest(11), 2000);
    expect(server.channelCount).toBe(1);
    connection.close();
    const channel = await closed;
    expect(channel.isActive).toBe(false);
    expect(channel.write(createRequest(40))).toBe(false);
    await waitFor(() => server.channelCount === 0);
  });

  it('closes channels that stay idle for channelMaxIdleSeconds', async () => {
    const idleServer = new RemotingServer({ host: '127.0.0.1', port: 0, logger, channelMaxIdleSeconds: 0.1 });
    await idleServer.start();
    try {
      const c = await rawClient(idleServer.port);
      sockets.push(c.socket);
      await c.closed;
      expect(logger.lines.some((line) => line.includes('idle'))).toBe(true);
    } finally {
      await idleServer.close();
    }
  });

  it('closes every channel on close()', async () => {
    const connection = await client();
    const closed = new Promise<void>((resolve) => connection.onClose(() => resolve()));
    await server.close();
    await closed;
    expect(connection.isActive).toBe(false);
  });
});
