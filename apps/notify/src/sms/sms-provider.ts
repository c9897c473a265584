import { ServiceError } from '@flashsale/service-kit';
import { HttpStatus } from '@nestjs/common';

export interface SmsMessage {
  /** The recipient's address (phone number). */
  to: string;
  body: string;
  /**
   * The same key for every attempt at the same notification (`<orderId>:<status>`). A provider that
   * honours it accepts a repeated key without sending again and answers with the first message id;
   * that closes the window where the SMS went out but recording it as SENT failed (crash, database
   * error), after which the redelivered status update sends once more.
   */
  idempotencyKey: string;
}

export interface SmsReceipt {
  providerMessageId: string;
}

/** Where notifications are sent through; chosen by SMS_PROVIDER. */
export interface SmsProvider {
  /** Resolves once the provider accepted the message; rejects with {@link SmsDeliveryError} if not. */
  send(message: SmsMessage): Promise<SmsReceipt>;
}

/** Injection token of the configured SmsProvider. */
export const SMS_PROVIDER = 'SMS_PROVIDER';

/** The provider did not accept the message; worth retrying (the consumer does, in place). */
export class SmsDeliveryError extends ServiceError {
  constructor(
    readonly idempotencyKey: string,
    reason: string,
  ) {
    super(HttpStatus.BAD_GATEWAY, 'SMS_DELIVERY_FAILED', `SMS ${idempotencyKey} not accepted: ${reason}`);
  }
}
