/**
 * Typed failures of the remoting codec. A decode error means the byte stream can no longer be trusted:
 * RocketMQ's Netty decoder closes the channel, and so must the owner of our frame decoder.
 */
export type RemotingDecodeErrorReason =
  | 'FRAME_TOO_LARGE'
  | 'BAD_FRAME_LENGTH'
  | 'BAD_HEADER_LENGTH'
  | 'UNKNOWN_SERIALIZE_TYPE'
  | 'BAD_JSON'
  | 'BAD_HEADER'
  | 'DECODER_FAILED';

export class RemotingDecodeError extends Error {
  override readonly name = 'RemotingDecodeError';

  constructor(
    readonly reason: RemotingDecodeErrorReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

export type RemotingEncodeErrorReason =
  'CODE_OUT_OF_RANGE' | 'VERSION_OUT_OF_RANGE' | 'KEY_TOO_LONG' | 'HEADER_TOO_LARGE';

/** A command that cannot be represented in its serialize type; a programming error on the sender's side. */
export class RemotingEncodeError extends Error {
  override readonly name = 'RemotingEncodeError';

  constructor(
    readonly reason: RemotingEncodeErrorReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}
