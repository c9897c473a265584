/**
 * SendMessageProcessor: SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320) — the
 * producer's way into the CommitLog.
 *
 * Interview questions: "What does the broker do with a message it receives?" — check it (msgCheck),
 * route retry messages (DLQ after the limit), add CLUSTER, stamp bornHost (the peer) and storeHost
 * (us), append it to the CommitLog and answer with the offset msgId, queue id and queue offset.
 * "Why are batches faster?" — one request, one header parse and one contiguous append for many
 * messages; the price is that they share topic and queue and may not be delayed or transactional.
 *
 * The hot path decodes the properties string once and hands the request body (a view into the
 * received frame) to the store without copying it.
 */
import * as protocol from '@flashsale/mq/protocol';
import type {
  BatchMessage,
  MessageRecord,
  RemotingCommand,
  SendMessageRequestHeader,
  SocketAddress,
} from '@flashsale/mq/protocol';
import type { BrokerConfig } from '../broker-config';
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import { routeRetryMessage } from '../retry/retry-topic.policy';
import type { ScheduleMessageHook } from '../schedule/schedule-message.hook';
import type { MessageStore, PutMessageResult } from '../store';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import { isRetryTopic } from '../topic/topic-validator';
import { sendOutcomeOf } from './put-message-status.mapping';
import { msgCheck } from './send-message.check';
import { isTransactionPrepared, toHalfMessage } from '../transaction/transactional-message-util';

/**
 * Bound once: through the package's `export *` barrels every call would be a chain of getter lookups,
 * which shows up in send-path profiles (see store/protocol.ts for the measurement).
 */
const {
  MessageConst,
  MessageFormatError,
  MessageSysFlag,
  RequestCode,
  ResponseCode,
  createResponse,
  decodeBatchBody,
  decodeProperties,
  readSendMessageRequestHeader,
  transactionType,
} = protocol;

export interface SendMessageProcessorDeps {
  brokerConfig: BrokerConfig;
  store: MessageStore;
  topicConfigManager: TopicConfigManager;
  subscriptionGroupManager: SubscriptionGroupManager;
  logger: BrokerLogger;
  /** Parks delayed and timer messages in their waiting topic (schedule/schedule-message.hook.ts). */
  scheduleMessageHook?: ScheduleMessageHook;
}

type Reply = RemotingCommand | Promise<RemotingCommand>;

export class SendMessageProcessor implements RequestProcessor {
  private readonly storeHost: SocketAddress;
  /** MSG_REGION and TRACE_ON, which a Java producer reads from every send response. */
  private readonly regionFields: Readonly<Record<string, string>>;

  constructor(private readonly deps: SendMessageProcessorDeps) {
    const { brokerConfig } = deps;
    this.storeHost = { host: brokerConfig.brokerIP1, port: brokerConfig.listenPort };
    this.regionFields = {
      [MessageConst.MSG_REGION]: brokerConfig.regionId,
      [MessageConst.TRACE_ON]: String(brokerConfig.traceOn),
    };
  }

  processRequest(channel: RemotingChannel, request: RemotingCommand): Reply {
    const header = readSendMessageRequestHeader(request.code, request.extFields);
    if (request.code === RequestCode.SEND_BATCH_MESSAGE)
      return this.sendBatchMessage(channel, request, header);
    return this.sendMessage(channel, request, header);
  }

  private sendMessage(
    channel: RemotingChannel,
    request: RemotingCommand,
    header: SendMessageRequestHeader,
  ): Reply {
    const { brokerConfig, topicConfigManager } = this.deps;
    const check = msgCheck(header, brokerConfig, topicConfigManager);
    if (!check.ok) return this.reject(request, check.code, check.remark);
    const body = request.body ?? EMPTY_BODY;
    if (body.length > brokerConfig.maxMessageSize) {
      return this.reject(
        request,
        ResponseCode.MESSAGE_ILLEGAL,
        `the message body size ${body.length} bytes exceeds maxMessageSize ${brokerConfig.maxMessageSize}`,
      );
    }

    const queueId = header.queueId < 0 ? randomQueue(check.topicConfig.writeQueueNums) : header.queueId;
    const routing = routeRetryMessage(
      {
        topic: header.topic,
        queueId,
        reconsumeTimes: header.reconsumeTimes,
        maxReconsumeTimes: header.maxReconsumeTimes,
        requestVersion: request.version,
      },
      this.deps.subscriptionGroupManager,
      topicConfigManager,
    );
    if (routing.kind === 'REJECT') return this.reject(request, routing.code, routing.remark);

    const properties = this.storedProperties(header.properties);
    if (routing.clearDelay) delete properties[MessageConst.DELAY];
    if (properties[MessageConst.TRAN_MSG] === 'true' && brokerConfig.rejectTransactionMessage) {
      return this.reject(
        request,
        ResponseCode.NO_PERMISSION,
        `the broker[${brokerConfig.brokerIP1}] sending transaction message is forbidden`,
      );
    }
    const sysFlag = withTopicFlags(header.sysFlag, check.topicConfig.topicFilterType);
    const record = this.buildRecord(
      channel,
      header,
      routing.topic,
      routing.queueId,
      sysFlag,
      body,
      properties,
    );
    const scheduled = this.deps.scheduleMessageHook?.(record);
    if (scheduled && !scheduled.ok) return this.reject(request, scheduled.code, scheduled.remark);
    // A transactional send is stored as a half message (hidden until END_TRANSACTION commits it); the
    // response still names the queue the producer chose, with the half queue's offset.
    const stored = isTransactionPrepared(properties) ? toHalfMessage(record) : record;
    return this.deps.store.putMessage(stored).then((result) => this.answer(request, result, routing.queueId));
  }

  private sendBatchMessage(
    channel: RemotingChannel,
    request: RemotingCommand,
    header: SendMessageRequestHeader,
  ): Reply {
    const { brokerConfig, topicConfigManager } = this.deps;
    const check = msgCheck(header, brokerConfig, topicConfigManager);
    if (!check.ok) return this.reject(request, check.code, check.remark);
    if (isRetryTopic(header.topic)) {
      return this.reject(
        request,
        ResponseCode.MESSAGE_ILLEGAL,
        `batch request does not support retry group ${header.topic}`,
      );
    }
    if (transactionType(header.sysFlag) !== MessageSysFlag.TRANSACTION_NOT_TYPE) {
      return this.reject(
        request,
        ResponseCode.MESSAGE_ILLEGAL,
        'batch message does not support transaction messages',
      );
    }
    const body = request.body ?? EMPTY_BODY;
    if (body.length > brokerConfig.maxMessageSize) {
      return this.reject(
        request,
        ResponseCode.MESSAGE_ILLEGAL,
        `the batch body size ${body.length} bytes exceeds maxMessageSize ${brokerConfig.maxMessageSize}`,
      );
    }
    let messages: BatchMessage[];
    try {
      messages = decodeBatchBody(body);
    } catch (err) {
      if (!(err instanceof MessageFormatError)) throw err;
      return this.reject(request, ResponseCode.MESSAGE_ILLEGAL, `malformed batch body: ${err.message}`);
    }
    if (messages.length === 0)
      return this.reject(request, ResponseCode.MESSAGE_ILLEGAL, 'the batch is empty');

    const batchProperties = this.storedProperties(header.properties);
    if (isDelayed(batchProperties) || messages.some((m) => isDelayed(m.properties))) {
      return this.reject(request, ResponseCode.MESSAGE_ILLEGAL, 'batch message does not support delay level');
    }
    const queueId = header.queueId < 0 ? randomQueue(check.topicConfig.writeQueueNums) : header.queueId;
    const sysFlag = withTopicFlags(header.sysFlag, check.topicConfig.topicFilterType);
    const records = messages.map((message) =>
      this.buildRecord(channel, header, header.topic, queueId, sysFlag, message.body, {
        ...message.properties,
        ...batchProperties,
      }),
    );
    for (let i = 0; i < messages.length; i++) records[i].flag = messages[i].flag;
    return this.deps.store.putMessages(records).then((result) => this.answer(request, result, queueId));
  }

  /**
   * The properties as they will be stored: WAIT=true dropped (it is the default, and 9 bytes on every
   * record) and CLUSTER added. WAIT=false stays, because the store reads it to skip the sync-flush wait.
   */
  private storedProperties(text: string | undefined): Record<string, string> {
    const properties = text ? decodeProperties(text) : {};
    if (properties[MessageConst.WAIT] === 'true') delete properties[MessageConst.WAIT];
    properties[MessageConst.CLUSTER] = this.deps.brokerConfig.brokerClusterName;
    return properties;
  }

  private buildRecord(
    channel: RemotingChannel,
    header: SendMessageRequestHeader,
    topic: string,
    queueId: number,
    sysFlag: number,
    body: Buffer,
    properties: Record<string, string>,
  ): MessageRecord {
    return {
      topic,
      queueId,
      flag: header.flag,
      body,
      properties,
      sysFlag,
      bornTimestamp: header.bornTimestamp,
      bornHost: channel.remoteAddress,
      storeTimestamp: 0,
      storeHost: this.storeHost,
      reconsumeTimes: header.reconsumeTimes ?? 0,
      preparedTransactionOffset: 0,
      queueOffset: 0,
      commitLogOffset: 0,
    };
  }

  private answer(request: RemotingCommand, result: PutMessageResult, queueId: number): RemotingCommand {
    const outcome = sendOutcomeOf(result.status);
    const append = result.appendResult;
    if (!outcome.stored || !append) {
      this.deps.logger.warn('send rejected by the store', { status: result.status });
      return this.reject(request, outcome.code, outcome.remark ?? result.status);
    }
    const ext: Record<string, string> = {
      msgId: append.msgId,
      queueId: String(queueId),
      queueOffset: String(append.queueOffset),
      ...this.regionFields,
    };
    return createResponse(request, outcome.code, ext, undefined, outcome.remark);
  }

  private reject(request: RemotingCommand, code: number, remark: string): RemotingCommand {
    return createResponse(request, code, { ...this.regionFields }, undefined, remark);
  }
}

const EMPTY_BODY = Buffer.alloc(0);

function randomQueue(writeQueueNums: number): number {
  return writeQueueNums > 0 ? Math.floor(Math.random() * writeQueueNums) : 0;
}

function isDelayed(properties: Record<string, string>): boolean {
  const level = properties[MessageConst.DELAY];
  return level !== undefined && Number(level) > 0;
}

function withTopicFlags(sysFlag: number, topicFilterType: string): number {
  return topicFilterType === 'MULTI_TAG' ? sysFlag | MessageSysFlag.MULTI_TAGS : sysFlag;
}
