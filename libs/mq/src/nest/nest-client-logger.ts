import { Logger } from '@nestjs/common';
import { type ClientLogger } from '../client';

/** The client library's logs through Nest's Logger, so they follow the app's logger (pino, silence). */
export function nestClientLogger(context: string): ClientLogger {
  const logger = new Logger(context);
  return {
    info: (message) => logger.log(message),
    warn: (message) => logger.warn(message),
    error: (message) => logger.error(message),
    debug: (message) => logger.debug(message),
  };
}
