/**
 * The one error type of the message codec. Hot-path decoders report bad bytes as status results;
 * this error is for callers that handed the encoder something RocketMQ cannot represent, and for
 * the colder helpers (message ids, batch bodies, compressed bodies) where a throw is the honest API.
 */
export type MessageFormatErrorReason =
  | 'TOPIC_TOO_LONG'
  | 'PROPERTIES_TOO_LONG'
  | 'BUFFER_TOO_SMALL'
  | 'INVALID_ADDRESS'
  | 'MALFORMED_MESSAGE_ID'
  | 'MALFORMED_BATCH'
  | 'UNSUPPORTED_COMPRESSION'
  | 'CORRUPT_COMPRESSED_BODY';

export class MessageFormatError extends Error {
  override readonly name = 'MessageFormatError';

  constructor(
    readonly reason: MessageFormatErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${message}`, options);
    Object.setPrototypeOf(this, MessageFormatError.prototype);
  }
}
