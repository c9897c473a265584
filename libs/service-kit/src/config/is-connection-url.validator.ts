import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * True when `value` parses as a URL with one of `protocols` (e.g. `['redis:', 'rediss:']`) and a host.
 * We parse with the WHATWG `URL` rather than class-validator's `IsUrl`, which rejects hosts such as
 * `db_1` that Docker Compose happily hands out.
 */
export function isConnectionUrl(value: unknown, protocols: readonly string[]): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Property decorator: the value must be a connection URL with one of `protocols`. */
export function IsConnectionUrl(
  protocols: readonly string[],
  options?: ValidationOptions,
): PropertyDecorator {
  const schemes = protocols.map((protocol) => `${protocol}//`).join(' or ');
  return ValidateBy(
    {
      name: 'isConnectionUrl',
      constraints: [protocols],
      validator: {
        validate: (value: unknown) => isConnectionUrl(value, protocols),
        defaultMessage: buildMessage(
          () => `$property must be a URL starting with ${schemes} and naming a host`,
        ),
      },
    },
    options,
  );
}
