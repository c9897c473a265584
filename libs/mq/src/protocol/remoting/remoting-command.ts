/**
 * RemotingCommand: the one message type of RocketMQ's 4.x remoting protocol. Requests and responses
 * share it; `flag` tells them apart and `opaque` pairs a response with its request.
 *
 * Interview question: "How are responses matched to requests on one TCP connection?" — the requester
 * picks an `opaque` number, the responder echoes it and sets the RESPONSE flag, so many requests can be
 * in flight at once and answered out of order.
 */
import { type LanguageName } from './language-code';
import { RemotingFlag, hasFlag } from './remoting-flag';

/** How the header is encoded: JSON (type byte 0, every client's default) or ROCKETMQ binary (1). */
export type SerializeType = 'JSON' | 'ROCKETMQ';

export interface RemotingCommand {
  /** Request code in a request, response code in a response. */
  code: number;
  language: LanguageName;
  /** The sender's MQVersion ordinal (409 = 4.9.8). */
  version: number;
  opaque: number;
  flag: number;
  /** Free text; in an error response it explains the code. */
  remark: string | undefined;
  /** The custom header, flattened to strings as RocketMQ sends it. */
  extFields: Record<string, string>;
  body: Buffer | undefined;
  serializeType: SerializeType;
}

/** MQVersion ordinal of Apache RocketMQ 4.9.8, the protocol level this codec implements. */
export const MQ_VERSION_V4_9_8 = 409;

let opaqueCounter = 0;

/**
 * Wraps through negative numbers like Java's AtomicInteger, so opaques stay 32-bit signed integers on
 * the wire and never lose precision.
 */
export function nextOpaque(): number {
  opaqueCounter = (opaqueCounter + 1) | 0;
  return opaqueCounter;
}

/**
 * A request from our own client. Language OTHER because there is no Node.js code in LanguageCode and
 * claiming JAVA would be a lie; servers only use the field for logging.
 */
export function createRequest(
  code: number,
  extFields: Record<string, string> = {},
  body?: Buffer,
  serializeType: SerializeType = 'JSON',
): RemotingCommand {
  return {
    code,
    language: 'OTHER',
    version: MQ_VERSION_V4_9_8,
    opaque: nextOpaque(),
    flag: 0,
    remark: undefined,
    extFields,
    body,
    serializeType,
  };
}

/**
 * The answer to `request`. Language JAVA and version 409 because Java clients record the broker's
 * version from heartbeat responses and gate features (e.g. SQL92 pulls) on it; the serialize type
 * mirrors the request because clients such as ali-ons and the C++ client only read JSON replies.
 */
export function createResponse(
  request: RemotingCommand,
  code: number,
  extFields: Record<string, string> = {},
  body?: Buffer,
  remark?: string,
): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: MQ_VERSION_V4_9_8,
    opaque: request.opaque,
    flag: RemotingFlag.RESPONSE,
    remark,
    extFields,
    body,
    serializeType: request.serializeType,
  };
}

export function isResponse(command: RemotingCommand): boolean {
  return hasFlag(command.flag, RemotingFlag.RESPONSE);
}

export function isOneway(command: RemotingCommand): boolean {
  return hasFlag(command.flag, RemotingFlag.ONEWAY);
}

/** Sets the ONEWAY bit in place and returns the same command, for `send(markOneway(createRequest(...)))`. */
export function markOneway(command: RemotingCommand): RemotingCommand {
  command.flag |= RemotingFlag.ONEWAY;
  return command;
}
