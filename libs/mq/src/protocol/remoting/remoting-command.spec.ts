import {
  MQ_VERSION_V4_9_8,
  createRequest,
  createResponse,
  isOneway,
  isResponse,
  markOneway,
  nextOpaque,
} from './remoting-command';
import { RemotingFlag } from './remoting-flag';
import { RequestCode } from './request-code';
import { ResponseCode } from './response-code';

describe('RemotingCommand factories', () => {
  it('creates requests with fresh opaques, language OTHER and version 409', () => {
    const first = createRequest(RequestCode.HEART_BEAT);
    const second = createRequest(RequestCode.PULL_MESSAGE, { topic: 'T' }, Buffer.from('x'), 'ROCKETMQ');
    expect(second.opaque).toBe(first.opaque + 1);
    expect(first).toMatchObject({
      code: 34,
      language: 'OTHER',
      version: MQ_VERSION_V4_9_8,
      flag: 0,
      extFields: {},
    });
    expect(second).toMatchObject({ code: 11, extFields: { topic: 'T' }, serializeType: 'ROCKETMQ' });
    expect(isResponse(first) || isOneway(first)).toBe(false);
  });

  it('keeps opaques 32-bit signed integers', () => {
    const opaque = nextOpaque();
    expect(opaque | 0).toBe(opaque);
  });

  it('answers with the request opaque, the RESPONSE flag and the request serialize type', () => {
    const request = createRequest(RequestCode.SEND_MESSAGE_V2, {}, undefined, 'ROCKETMQ');
    const response = createResponse(request, ResponseCode.TOPIC_NOT_EXIST, {}, undefined, 'no route');
    expect(response).toMatchObject({
      code: 17,
      opaque: request.opaque,
      flag: RemotingFlag.RESPONSE,
      language: 'JAVA',
      version: 409,
      remark: 'no route',
      serializeType: 'ROCKETMQ',
    });
    expect(isResponse(response)).toBe(true);
  });

  it('marks a request oneway in place', () => {
    const request = createRequest(RequestCode.UPDATE_CONSUMER_OFFSET);
    expect(markOneway(request)).toBe(request);
    expect(isOneway(request)).toBe(true);
    expect(isResponse(request)).toBe(false);
  });
});
