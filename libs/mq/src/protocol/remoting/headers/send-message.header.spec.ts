import { RequestCode } from '../request-code';
import { HeaderFieldError } from './header-fields';
import {
  type SendMessageRequestHeader,
  parseSendMessageRequestHeader,
  parseSendMessageResponseHeader,
  readSendMessageRequestHeader,
  sendMessageHeaderFromV2,
  sendMessageHeaderToV1,
  sendMessageHeaderToV2,
} from './send-message.header';

const header: SendMessageRequestHeader = {
  producerGroup: 'order-producer',
  topic: 'order-created',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 2,
  sysFlag: 4,
  bornTimestamp: 1700000000123,
  flag: 0,
  properties: 'TAGS\u0001created\u0002UNIQ_KEY\u0001ABC\u0002',
  reconsumeTimes: 0,
  unitMode: false,
  maxReconsumeTimes: undefined,
  batch: false,
  bname: 'broker-a',
};

describe('SEND_MESSAGE headers', () => {
  it('maps V1 names to the one-letter V2 names a..n', () => {
    expect(sendMessageHeaderToV2(header)).toEqual({
      a: 'order-producer',
      b: 'order-created',
      c: 'TBW102',
      d: '4',
      e: '2',
      f: '4',
      g: '1700000000123',
      h: '0',
      i: 'TAGS\u0001created\u0002UNIQ_KEY\u0001ABC\u0002',
      j: '0',
      k: 'false',
      m: 'false',
      n: 'broker-a',
    });
  });

  it('round-trips through both the V1 and the V2 ext fields', () => {
    expect(sendMessageHeaderFromV2(sendMessageHeaderToV2(header))).toEqual(header);
    expect(parseSendMessageRequestHeader(sendMessageHeaderToV1(header))).toEqual(header);
  });

  it('chooses V1 or V2 by request code', () => {
    const v2 = sendMessageHeaderToV2(header);
    expect(readSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, v2)).toEqual(header);
    expect(readSendMessageRequestHeader(RequestCode.SEND_BATCH_MESSAGE, v2)).toEqual(header);
    expect(readSendMessageRequestHeader(RequestCode.SEND_MESSAGE, sendMessageHeaderToV1(header))).toEqual(
      header,
    );
  });

  it('takes the broker name from RpcRequestHeader.bname when a V2 sender omits n', () => {
    const { n: _n, ...withoutN } = sendMessageHeaderToV2(header);
    expect(sendMessageHeaderFromV2({ ...withoutN, bname: 'broker-b' }).bname).toBe('broker-b');
  });

  it('names the missing field as it appears on the wire', () => {
    const { e: _e, ...withoutQueueId } = sendMessageHeaderToV2(header);
    expect(() => sendMessageHeaderFromV2(withoutQueueId)).toThrow(HeaderFieldError);
    try {
      sendMessageHeaderFromV2(withoutQueueId);
    } catch (error) {
      expect((error as HeaderFieldError).field).toBe('e');
    }
  });

  it('reads the send response including the Java-only ext fields', () => {
    expect(
      parseSendMessageResponseHeader({
        msgId: '7F00000100002A9F0000000000000000',
        queueId: '1',
        queueOffset: '15',
        MSG_REGION: 'DefaultRegion',
        TRACE_ON: 'true',
      }),
    ).toEqual({
      msgId: '7F00000100002A9F0000000000000000',
      queueId: 1,
      queueOffset: 15,
      transactionId: undefined,
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
    });
  });
});
