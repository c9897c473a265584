/**
 * The broker's logging port. Components take this interface, never a concrete logger: main.ts backs it
 * with pino, tests with a silent or capturing logger, and nothing in the broker writes to the console.
 */
export interface BrokerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export const silentBrokerLogger: BrokerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
