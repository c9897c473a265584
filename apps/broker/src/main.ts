/**
 * Entry point of `npx nx serve broker`: a NameServer on 9876 and a broker on 10911 with its store in
 * .data/broker, unless ROLE / env / flags say otherwise (see broker-config.ts). SIGINT and SIGTERM stop
 * both cleanly — unregister, persist, flush the store — and exit 0.
 */
import pino from 'pino';
import { BrokerConfigError, loadBrokerConfig } from './broker-config';
import type { BrokerLogger } from './broker-logger';
import { startComponents } from './broker-startup';

function pinoBrokerLogger(level: string): BrokerLogger {
  return fromPino(pino({ name: 'broker', level }));
}

function fromPino(log: pino.Logger): BrokerLogger {
  return {
    info: (message, fields) => (fields ? log.info(fields, message) : log.info(message)),
    warn: (message, fields) => (fields ? log.warn(fields, message) : log.warn(message)),
    error: (message, fields) => (fields ? log.error(fields, message) : log.error(message)),
    debug: (message, fields) => (fields ? log.debug(fields, message) : log.debug(message)),
  };
}

async function main(): Promise<void> {
  let startup;
  try {
    startup = loadBrokerConfig(process.env, process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof BrokerConfigError)) throw err;
    pinoBrokerLogger('info').error(`invalid configuration: ${err.message}`);
    process.exit(2);
  }
  const logger = pinoBrokerLogger(startup.logLevel);
  const running = await startComponents(startup, logger);

  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info(`received ${signal}, shutting down`);
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

main().catch((err: unknown) => {
  pinoBrokerLogger('info').error('start-up failed', {
    error: err instanceof Error ? err.stack : String(err),
  });
  process.exit(1);
});
