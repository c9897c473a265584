import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * A message body that is not the contract's shape. Thrown from a consumer it becomes a retry, and
 * after maxReconsumeTimes the message lands in %DLQ%<group>, where it can be inspected and resent
 * once the producer is fixed — rather than being acknowledged and silently lost.
 */
export class InvalidMessageError extends Error {
  constructor(
    readonly messageType: string,
    readonly problems: string[],
  ) {
    super(`invalid ${messageType}: ${problems.join('; ')}`);
    this.name = 'InvalidMessageError';
  }
}

/** Validates a consumed JSON body against a class-validator schema of the event contract. */
export function parseMessage<T extends object>(schema: new () => T, payload: unknown): T {
  if (typeof payload !== 'object' || payload === null) {
    throw new InvalidMessageError(schema.name, ['the body is not a JSON object']);
  }
  const message = plainToInstance(schema, payload);
  const errors = validateSync(message, { whitelist: true });
  if (errors.length > 0) {
    throw new InvalidMessageError(
      schema.name,
      errors.flatMap((error) => Object.values(error.constraints ?? {})),
    );
  }
  return message;
}
