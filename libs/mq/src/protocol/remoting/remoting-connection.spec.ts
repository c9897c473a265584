import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { RemotingFrameDecoder } from './frame-decoder';
import {
  createRequest,
  createResponse,
  isOneway,
  markOneway,
  type RemotingCommand,
} from './remoting-command';
import { encodeRemotingCommand } from './remoting-command-codec';
import {
  RemotingConnection,
  RemotingConnectionClosedError,
  RemotingConnectionError,
  RemotingTimeoutError,
} from './remoting-connection';
import { RemotingFlag } from './remoting-flag';

/** A tiny peer that speaks frames: the test decides how it reacts to each command it receives. */
interface Peer {
  address: string;
  sockets: Socket[];
  received: RemotingCommand[];
  close(): Promise<void>;
}

type PeerBehaviour = (command: RemotingCommand, socket: Socket) => void;

async function startPeer(behaviour: PeerBehaviour = () => undefined): Promise<Peer> {
  const sockets: Socket[] = [];
  const received: RemotingCommand[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    const decoder = new RemotingFrameDecoder((command) => {
      received.push(command);
      behaviour(command, socket);
    });
    socket.on('data', (chunk) => decoder.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    sockets,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(socket: Socket, command: RemotingCommand): void {
  socket.write(encodeRemotingCommand(command));
}

/** The peer's echo: answers every request with its ext fields and body. */
const echo: PeerBehaviour = (command, socket) => {
  if (command.flag & RemotingFlag.RESPONSE || isOneway(command)) return;
  send(socket, createResponse(command, 0, command.extFields, command.body));
};

function nextCommand(peer: Peer, count = 1): Promise<RemotingCommand> {
  return waitFor(() => peer.received.length >= count).then(() => peer.received[count - 1]);
}

async function waitFor(condition: () => boolean, timeoutMillis = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMillis) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('RemotingConnection', () => {
  let peer: Peer;
  let connection: RemotingConnection | undefined;

  afterEach(async () => {
    connection?.close();
    connection = undefined;
    await peer?.close();
  });

  it('matches a response to its request by opaque', async () => {
    peer = await startPeer(echo);
    connection = await RemotingConnection.connect(peer.address);
    const request = createRequest(105, { topic: 'orders' });
    const response = await connection.invoke(request, 1000);
    expect(response.opaque).toBe(request.opaque);
    expect(response.code).toBe(0);
    expect(response.extFields).toEqual({ topic: 'orders' });
    expect(connection.pendingInvokes).toBe(0);
  });

  it('keeps many requests in flight and accepts answers in any order', async () => {
    const held: Array<[RemotingCommand, Socket]> = [];
    peer = await startPeer((command, socket) => {
      held.push([command, socket]);
      if (held.length < 2000) return;
      for (const [request, s] of held.reverse()) send(s, createResponse(request, 0, request.extFields));
    });
    connection = await RemotingConnection.connect(peer.address);
    const requests = Array.from({ length: 2000 }, (_, i) => createRequest(11, { i: String(i) }));
    const responses = await Promise.all(requests.map((r) => connection!.invoke(r, 5000)));
    responses.forEach((response, i) => expect(response.extFields['i']).toBe(String(i)));
  });

  it('sends large bodies intact next to small ones, in order', async () => {
    peer = await startPeer(echo);
    connection = await RemotingConnection.connect(peer.address);
    const big = Buffer.alloc(256 * 1024, 7);
    const small = Buffer.from('tiny');
    const [first, second] = await Promise.all([
      connection.invoke(createRequest(310, {}, big), 2000),
      connection.invoke(createRequest(310, {}, small), 2000),
    ]);
    expect(first.body?.equals(big)).toBe(true);
    expect(second.body?.toString()).toBe('tiny');
    expect(peer.received.map((c) => c.body?.length)).toEqual([big.length, small.length]);
  });

  it('rejects with RemotingTimeoutError, stays open and drops the late answer', async () => {
    const late: Array<[RemotingCommand, Socket]> = [];
    peer = await startPeer((command, socket) => late.push([command, socket]));
    connection = await RemotingConnection.connect(peer.address);
    const request = createRequest(11);
    const started = Date.now();
    const error = await connection.invoke(request, 60).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemotingTimeoutError);
    expect((error as RemotingTimeoutError).opaque).toBe(request.opaque);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(connection.isActive).toBe(true);
    expect(connection.pendingInvokes).toBe(0);

    send(late[0][1], createResponse(late[0][0], 0));
    const again = await connection.invoke(createRequest(11), 60).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(RemotingTimeoutError);
  });

  it('flags invokeOneway requests ONEWAY', async () => {
    peer = await startPeer();
    connection = await RemotingConnection.connect(peer.address);
    connection.invokeOneway(createRequest(15, { commitOffset: '5' }));
    const received = await nextCommand(peer);
    expect(received.code).toBe(15);
    expect(isOneway(received)).toBe(true);
  });

  it('fails pending invokes with RemotingConnectionClosedError when the peer closes', async () => {
    peer = await startPeer((_command, socket) => socket.destroy());
    connection = await RemotingConnection.connect(peer.address);
    const closed = new Promise<RemotingConnection>((resolve) => connection!.onClose(resolve));
    const error = await connection.invoke(createRequest(11), 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemotingConnectionClosedError);
    expect((error as RemotingConnectionError).reason).toBe('CLOSED');
    expect(await closed).toBe(connection);
    expect(connection.isActive).toBe(false);
    await expect(connection.invoke(createRequest(11), 100)).rejects.toBeInstanceOf(
      RemotingConnectionClosedError,
    );
    expect(() => connection!.invokeOneway(createRequest(15))).toThrow(RemotingConnectionClosedError);
  });

  it('fails pending invokes when closed locally, and calls late onClose listeners at once', async () => {
    peer = await startPeer();
    connection = await RemotingConnection.connect(peer.address);
    const pending = connection.invoke(createRequest(11), 5000);
    connection.close();
    await expect(pending).rejects.toBeInstanceOf(RemotingConnectionClosedError);
    const listener = jest.fn();
    connection.onClose(listener);
    expect(listener).toHaveBeenCalledWith(connection, undefined);
  });

  it('closes itself on a malformed frame from the peer', async () => {
    peer = await startPeer((_command, socket) => socket.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2])));
    connection = await RemotingConnection.connect(peer.address);
    await expect(connection.invoke(createRequest(11), 5000)).rejects.toBeInstanceOf(
      RemotingConnectionClosedError,
    );
    expect(connection.isActive).toBe(false);
  });

  it('reports a refused connection as RemotingConnectionError CONNECT_FAILED', async () => {
    peer = await startPeer();
    const address = peer.address;
    await peer.close();
    const error = await RemotingConnection.connect(address).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemotingConnectionError);
    expect((error as RemotingConnectionError).reason).toBe('CONNECT_FAILED');
  });

  it('rejects a malformed address without connecting', async () => {
    peer = await startPeer();
    await expect(RemotingConnection.connect('no-port')).rejects.toBeInstanceOf(RemotingConnectionError);
  });

  describe('requests started by the peer', () => {
    it('answers them with the handler result, in the request serialize type', async () => {
      peer = await startPeer();
      connection = await RemotingConnection.connect(peer.address, {
        onRequest: async (request) => createResponse(request, 0, { seen: request.extFields['group'] }),
      });
      await connection.invoke(createRequest(34), 50).catch(() => undefined);
      const notify = createRequest(40, { group: 'g1' }, undefined, 'ROCKETMQ');
      send(peer.sockets[0], notify);
      const answer = await nextCommand(peer, 2);
      expect(answer.opaque).toBe(notify.opaque);
      expect(answer.flag & RemotingFlag.RESPONSE).toBe(RemotingFlag.RESPONSE);
      expect(answer.serializeType).toBe('ROCKETMQ');
      expect(answer.extFields).toEqual({ seen: 'g1' });
    });

    it('turns a thrown error into SYSTEM_ERROR with the message as remark', async () => {
      peer = await startPeer();
      connection = await RemotingConnection.connect(peer.address, {
        onRequest: () => {
          throw new Error('no such transaction');
        },
      });
      connection.invokeOneway(createRequest(0));
      await nextCommand(peer);
      const check = createRequest(39);
      send(peer.sockets[0], check);
      const answer = await nextCommand(peer, 2);
      expect(answer.code).toBe(1);
      expect(answer.remark).toBe('no such transaction');
    });

    it('answers REQUEST_CODE_NOT_SUPPORTED without a handler and never answers ONEWAY requests', async () => {
      peer = await startPeer();
      connection = await RemotingConnection.connect(peer.address);
      connection.invokeOneway(createRequest(0));
      await nextCommand(peer);
      send(peer.sockets[0], markOneway(createRequest(40)));
      const unknown = createRequest(307);
      send(peer.sockets[0], unknown);
      const answer = await nextCommand(peer, 2);
      expect(answer.opaque).toBe(unknown.opaque);
      expect(answer.code).toBe(3);
      expect(answer.remark).toBe(' request type 307 not supported');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(peer.received).toHaveLength(2);
    });
  });

  it('closes an idle connection', async () => {
    peer = await startPeer();
    connection = await RemotingConnection.connect(peer.address, { idleTimeoutMillis: 80 });
    const closed = new Promise<void>((resolve) => connection!.onClose(() => resolve()));
    await closed;
    expect(connection.isActive).toBe(false);
  });
});
