/**
 * BrokerOuterAPI: the broker as a client of the NameServers — REGISTER_BROKER (103) to every one of
 * them in parallel, UNREGISTER_BROKER (104) on shutdown. One RemotingConnection per NameServer, opened
 * on first use and dropped on failure so that the next period reconnects.
 *
 * Interview question: "NameServers don't talk to each other — how do they agree?" — they don't need
 * to: every broker tells every NameServer the same thing every 30 s. A NameServer that was down just
 * catches up at the next registration, which is why clients tolerate routes a few seconds stale.
 */
import {
  type RegisterBrokerBody,
  type RemotingCommand,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  createRequest,
  crc32Masked,
  encodeJsonBody,
  parseRegisterBrokerResponseHeader,
  toExtFields,
  type RegisterBrokerResponseHeader,
  type TopicConfigSerializeWrapper,
} from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';

export interface BrokerIdentity {
  clusterName: string;
  brokerName: string;
  brokerAddr: string;
  brokerId: number;
  haServerAddr: string;
}

export interface RegisterBrokerResult {
  namesrvAddr: string;
  ok: boolean;
  response?: RegisterBrokerResponseHeader;
  error?: string;
}

export class BrokerOuterApiError extends Error {
  override readonly name = 'BrokerOuterApiError';

  constructor(
    readonly namesrvAddr: string,
    readonly code: number,
    remark: string | undefined,
  ) {
    super(`${namesrvAddr} answered code ${code}${remark ? `: ${remark}` : ''}`);
  }
}

export class BrokerOuterApi {
  private readonly connections = new Map<string, Promise<RemotingConnection>>();
  private closed = false;

  constructor(
    private namesrvAddrs: readonly string[],
    private readonly timeoutMillis: number,
    private readonly logger: BrokerLogger,
  ) {}

  updateNameServerAddressList(addrs: readonly string[]): void {
    this.namesrvAddrs = [...addrs];
  }

  getNameServerAddressList(): readonly string[] {
    return this.namesrvAddrs;
  }

  /** Registers with every NameServer at once; one failing NameServer does not affect the others. */
  registerBrokerAll(
    identity: BrokerIdentity,
    topics: TopicConfigSerializeWrapper,
  ): Promise<RegisterBrokerResult[]> {
    const registerBody: RegisterBrokerBody = { topicConfigSerializeWrapper: topics, filterServerList: [] };
    const body = encodeJsonBody(registerBody);
    const ext = toExtFields({
      brokerName: identity.brokerName,
      brokerAddr: identity.brokerAddr,
      clusterName: identity.clusterName,
      haServerAddr: identity.haServerAddr,
      brokerId: identity.brokerId,
      compressed: false,
      bodyCrc32: crc32Masked(body),
    });
    return Promise.all(
      this.namesrvAddrs.map((addr) =>
        this.invoke(addr, createRequest(RequestCode.REGISTER_BROKER, ext, body)).then(
          (response): RegisterBrokerResult => ({
            namesrvAddr: addr,
            ok: true,
            response: parseRegisterBrokerResponseHeader(response.extFields),
          }),
          (err: unknown): RegisterBrokerResult => ({ namesrvAddr: addr, ok: false, error: messageOf(err) }),
        ),
      ),
    );
  }

  unregisterBrokerAll(identity: BrokerIdentity): Promise<void> {
    const ext = toExtFields({
      brokerName: identity.brokerName,
      brokerAddr: identity.brokerAddr,
      clusterName: identity.clusterName,
      brokerId: identity.brokerId,
    });
    return Promise.all(
      this.namesrvAddrs.map((addr) =>
        this.invoke(addr, createRequest(RequestCode.UNREGISTER_BROKER, ext)).then(
          () => this.logger.info('unregistered from NameServer', { namesrvAddr: addr }),
          (err: unknown) =>
            this.logger.warn('unregister from NameServer failed', {
              namesrvAddr: addr,
              error: messageOf(err),
            }),
        ),
      ),
    ).then(() => undefined);
  }

  close(): void {
    this.closed = true;
    for (const pending of this.connections.values()) {
      pending.then((connection) => connection.close()).catch(() => undefined);
    }
    this.connections.clear();
  }

  private async invoke(addr: string, request: RemotingCommand): Promise<RemotingCommand> {
    const connection = await this.connectionTo(addr);
    try {
      const response = await connection.invoke(request, this.timeoutMillis);
      if (response.code !== ResponseCode.SUCCESS)
        throw new BrokerOuterApiError(addr, response.code, response.remark);
      return response;
    } catch (err) {
      if (!(err instanceof BrokerOuterApiError)) this.dropConnection(addr, connection);
      throw err;
    }
  }

  private connectionTo(addr: string): Promise<RemotingConnection> {
    const existing = this.connections.get(addr);
    if (existing) return existing;
    if (this.closed) return Promise.reject(new Error('BrokerOuterApi is closed'));
    const connecting = RemotingConnection.connect(addr, {
      connectTimeoutMillis: this.timeoutMillis,
      logger: this.logger,
    });
    this.connections.set(addr, connecting);
    connecting.then(
      (connection) => connection.onClose(() => this.forget(addr, connecting)),
      () => this.forget(addr, connecting),
    );
    return connecting;
  }

  private dropConnection(addr: string, connection: RemotingConnection): void {
    connection.close();
    this.connections.delete(addr);
  }

  private forget(addr: string, connecting: Promise<RemotingConnection>): void {
    if (this.connections.get(addr) === connecting) this.connections.delete(addr);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
