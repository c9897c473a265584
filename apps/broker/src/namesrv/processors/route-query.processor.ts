/**
 * The NameServer's read side: GET_ROUTEINFO_BY_TOPIC (105), GET_BROKER_CLUSTER_INFO (106),
 * GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206) and GET_TOPICS_BY_CLUSTER (224).
 *
 * Interview question: "Why can the Go client misread a route from a newer NameServer?" — the route's
 * brokerAddrs map has Long keys, which fastjson writes unquoted (`{0:"ip:port"}`); older clients parse
 * that text by hand. So the NameServer writes that dialect unless the client says it is 4.9.4+ (version
 * ≥ 401) or asks for standard JSON with acceptStandardJsonOnly.
 */
import {
  createResponse,
  encodeJsonBody,
  parseGetRouteInfoRequestHeader,
  RequestCode,
  requireString,
  ResponseCode,
  type JsonDialect,
  type RemotingCommand,
  type TopicList,
} from '@flashsale/mq/protocol';
import type { RemotingChannel } from '../../remoting/remoting-channel';
import type { RequestProcessor } from '../../remoting/request-processor';
import type { RouteInfoManager } from '../route-info-manager';

/** MQVersion V4_9_4, the first client version that reads standard JSON routes. */
const V4_9_4 = 401;

export class RouteQueryProcessor implements RequestProcessor {
  constructor(private readonly routeInfoManager: RouteInfoManager) {}

  processRequest(_channel: RemotingChannel, request: RemotingCommand): RemotingCommand | undefined {
    switch (request.code) {
      case RequestCode.GET_ROUTEINFO_BY_TOPIC:
        return this.getRouteInfoByTopic(request);
      case RequestCode.GET_BROKER_CLUSTER_INFO:
        // A 4.9.8 NameServer always writes cluster info in fastjson's dialect.
        return success(request, encodeJsonBody(this.routeInfoManager.getClusterInfo(), 'FASTJSON'));
      case RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER:
        return this.topicList(request, this.routeInfoManager.getAllTopicList());
      case RequestCode.GET_TOPICS_BY_CLUSTER:
        return this.topicList(request, this.routeInfoManager.getTopicsByCluster(requireCluster(request)));
      default:
        return undefined;
    }
  }

  private getRouteInfoByTopic(request: RemotingCommand): RemotingCommand {
    const header = parseGetRouteInfoRequestHeader(request.extFields);
    const route = this.routeInfoManager.pickupTopicRouteData(header.topic);
    if (route === null) {
      const remark = `No topic route info in name server for the topic: ${header.topic}`;
      return createResponse(request, ResponseCode.TOPIC_NOT_EXIST, {}, undefined, remark);
    }
    const standard = request.version >= V4_9_4 || header.acceptStandardJsonOnly === true;
    const dialect: JsonDialect = standard ? 'STANDARD' : 'FASTJSON';
    return success(request, encodeJsonBody(route, dialect));
  }

  private topicList(request: RemotingCommand, topics: string[]): RemotingCommand {
    const body: TopicList = { topicList: topics };
    return success(request, encodeJsonBody(body));
  }
}

function requireCluster(request: RemotingCommand): string {
  return requireString(request.extFields, 'cluster');
}

function success(request: RemotingCommand, body: Buffer): RemotingCommand {
  return createResponse(request, ResponseCode.SUCCESS, {}, body);
}
