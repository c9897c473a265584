import type { SendResult } from '@flashsale/mq';

/** A send that did not end in SEND_OK, thrown so that the caller's caller retries. */
export class MessageNotSentError extends Error {
  override readonly name = 'MessageNotSentError';
}

/**
 * Only SEND_OK means the broker has the message as configured (flushed under SYNC_FLUSH, on the slave
 * under SYNC_MASTER). FLUSH_DISK_TIMEOUT and friends mean "stored, but not as safely as asked": we
 * treat them as failures and send again; consumers are idempotent, so a duplicate costs nothing.
 */
export function requireSendOk(result: SendResult, what: string): void {
  if (result.sendStatus !== 'SEND_OK') throw new MessageNotSentError(`${what}: ${result.sendStatus}`);
}
