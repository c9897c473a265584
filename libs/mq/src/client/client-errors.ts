/**
 * Typed failures of the client library.
 *
 * Interview question: "How does a producer tell a broker refusal from a network failure?" — a broker
 * refusal arrives as a response with a non-zero code (MQBrokerError keeps it and the remark, so the
 * caller can decide whether to retry elsewhere); a network failure is a RemotingConnectionError or
 * RemotingTimeoutError from the protocol layer, after which the request may or may not have run.
 */
import { type RemotingCommand } from '../protocol';

export type MQClientErrorReason =
  | 'NOT_STARTED'
  | 'ALREADY_STARTED'
  | 'SHUT_DOWN'
  | 'ILLEGAL_ARGUMENT'
  | 'NO_ROUTE'
  | 'NO_NAMESERVER'
  | 'BROKER_NOT_FOUND'
  | 'GROUP_ALREADY_REGISTERED'
  | 'SEND_FAILED'
  | 'TIMEOUT';

/** A problem on the client's side: misuse, missing route, or all attempts failed. */
export class MQClientError extends Error {
  override readonly name: string = 'MQClientError';

  constructor(
    readonly reason: MQClientErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The broker (or NameServer) answered with a response code the caller cannot treat as success. */
export class MQBrokerError extends Error {
  override readonly name = 'MQBrokerError';

  constructor(
    /** The response code (`ResponseCode`). */
    readonly responseCode: number,
    /** The peer's remark, its explanation of the code. */
    readonly remark: string | undefined,
    /** "host:port" of the peer that refused. */
    readonly address: string,
  ) {
    super(`${address} answered code ${responseCode}${remark ? `: ${remark}` : ''}`);
  }

  static of(response: RemotingCommand, address: string): MQBrokerError {
    return new MQBrokerError(response.code, response.remark, address);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
