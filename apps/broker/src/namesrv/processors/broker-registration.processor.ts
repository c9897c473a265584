/**
 * REGISTER_BROKER (103) and UNREGISTER_BROKER (104): how brokers announce themselves to a NameServer.
 * Every broker sends REGISTER_BROKER to every NameServer at start-up and then every 30 s, with its
 * full topic configuration and a data version; UNREGISTER_BROKER on a clean shutdown.
 *
 * Interview question: "How does a slave find its master?" — by registering: the NameServer answers a
 * slave's registration with the master's address and HA address (masterAddr, haServerAddr).
 */
import {
  createResponse,
  crc32Masked,
  decodeJsonBody,
  encodeJsonBody,
  parseRegisterBrokerRequestHeader,
  parseUnregisterBrokerRequestHeader,
  RequestCode,
  ResponseCode,
  toExtFields,
  type RegisterBrokerBody,
  type RegisterBrokerRequestHeader,
  type RemotingCommand,
  type TopicConfigSerializeWrapper,
} from '@flashsale/mq/protocol';
import type { RemotingChannel } from '../../remoting/remoting-channel';
import type { RequestProcessor } from '../../remoting/request-processor';
import { type KVConfigManager, NAMESPACE_ORDER_TOPIC_CONFIG } from '../kv-config-manager';
import type { RouteInfoManager } from '../route-info-manager';

/** MQVersion V3_0_11: from this version on the body is a RegisterBrokerBody, before it a bare wrapper. */
const V3_0_11 = 37;

export class BrokerRegistrationProcessor implements RequestProcessor {
  constructor(
    private readonly routeInfoManager: RouteInfoManager,
    private readonly kvConfigManager: KVConfigManager,
  ) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand | undefined {
    switch (request.code) {
      case RequestCode.REGISTER_BROKER:
        return this.registerBroker(channel, request);
      case RequestCode.UNREGISTER_BROKER:
        return this.unregisterBroker(request);
      default:
        return undefined;
    }
  }

  private registerBroker(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const header = parseRegisterBrokerRequestHeader(request.extFields);
    if (!bodyChecksumMatches(header, request.body)) {
      return createResponse(request, ResponseCode.SYSTEM_ERROR, {}, undefined, 'crc32 not match');
    }
    if (header.compressed === true) {
      const remark = 'compressed REGISTER_BROKER bodies are not supported; set compressedRegister=false';
      return createResponse(request, ResponseCode.SYSTEM_ERROR, {}, undefined, remark);
    }
    const body = readRegisterBrokerBody(request);
    const result = this.routeInfoManager.registerBroker({
      clusterName: header.clusterName,
      brokerAddr: header.brokerAddr,
      brokerName: header.brokerName,
      brokerId: header.brokerId,
      haServerAddr: header.haServerAddr,
      topicConfigWrapper: body.topicConfigSerializeWrapper,
      filterServerList: body.filterServerList,
      channel,
    });
    const orderTopicConfig = this.kvConfigManager.list(NAMESPACE_ORDER_TOPIC_CONFIG);
    const responseBody = orderTopicConfig === undefined ? undefined : encodeJsonBody(orderTopicConfig);
    return createResponse(request, ResponseCode.SUCCESS, toExtFields(result), responseBody);
  }

  private unregisterBroker(request: RemotingCommand): RemotingCommand {
    this.routeInfoManager.unregisterBroker(parseUnregisterBrokerRequestHeader(request.extFields));
    return createResponse(request, ResponseCode.SUCCESS);
  }
}

/** A bodyCrc32 of 0 means the broker did not compute one (RocketMQ before 4.9.x). */
function bodyChecksumMatches(header: RegisterBrokerRequestHeader, body: Buffer | undefined): boolean {
  if (header.bodyCrc32 === undefined || header.bodyCrc32 === 0) return true;
  const actual = body === undefined ? 0 : crc32Masked(body);
  return actual === header.bodyCrc32;
}

/** Normalises every body shape a broker may send into a RegisterBrokerBody. */
function readRegisterBrokerBody(request: RemotingCommand): RegisterBrokerBody {
  if (request.body === undefined || request.body.length === 0) {
    return { topicConfigSerializeWrapper: emptyWrapper(), filterServerList: [] };
  }
  if (request.version < V3_0_11) {
    return {
      topicConfigSerializeWrapper: normaliseWrapper(decodeJsonBody(request.body)),
      filterServerList: [],
    };
  }
  const body = decodeJsonBody<Partial<RegisterBrokerBody>>(request.body);
  return {
    topicConfigSerializeWrapper: normaliseWrapper(body.topicConfigSerializeWrapper),
    filterServerList: Array.isArray(body.filterServerList) ? body.filterServerList : [],
  };
}

function emptyWrapper(): TopicConfigSerializeWrapper {
  return { topicConfigTable: {}, dataVersion: { timestamp: 0, counter: 0 } };
}

/** Fills what a lenient peer may leave out; a topic config without topicName is named by its key. */
function normaliseWrapper(
  wrapper: Partial<TopicConfigSerializeWrapper> | undefined,
): TopicConfigSerializeWrapper {
  const table = wrapper?.topicConfigTable ?? {};
  const topicConfigTable: TopicConfigSerializeWrapper['topicConfigTable'] = {};
  for (const [topic, config] of Object.entries(table)) {
    topicConfigTable[topic] = { ...config, topicName: config.topicName ?? topic };
  }
  const dataVersion = wrapper?.dataVersion ?? { timestamp: 0, counter: 0 };
  return {
    topicConfigTable,
    dataVersion: { timestamp: dataVersion.timestamp, counter: dataVersion.counter },
  };
}
