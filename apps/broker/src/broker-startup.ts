/**
 * BrokerStartup / NamesrvStartup in one: runs the NameServer, the broker, or both in this process
 * (ROLE=all|namesrv|broker), logs one start-up line per component with the settings that matter, and
 * stops them in the safe order (broker first, so it can still unregister from a local NameServer).
 */
import { type BrokerStartupConfig, brokerAddrOf, namesrvAddrList } from './broker-config';
import { BrokerController } from './broker-controller';
import type { BrokerLogger } from './broker-logger';
import { NamesrvController } from './namesrv/namesrv-controller';

export interface RunningComponents {
  namesrv?: NamesrvController;
  broker?: BrokerController;
  /** Stops the broker, then the NameServer; safe to call twice. */
  stop(): Promise<void>;
}

export async function startComponents(
  startup: BrokerStartupConfig,
  logger: BrokerLogger,
): Promise<RunningComponents> {
  let namesrv: NamesrvController | undefined;
  let broker: BrokerController | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await broker?.shutdown();
      await namesrv?.shutdown();
    })();
    return stopping;
  };

  try {
    if (startup.role !== 'broker') {
      namesrv = new NamesrvController({ listenPort: startup.namesrvListenPort, logger });
      await namesrv.start();
      logger.info('NameServer started', { component: 'namesrv', listenPort: namesrv.port });
    }
    if (startup.role !== 'namesrv') {
      const config = startup.broker;
      broker = new BrokerController({ config, logger });
      await broker.start();
      logger.info('Broker started', {
        component: 'broker',
        brokerClusterName: config.brokerClusterName,
        brokerName: config.brokerName,
        brokerId: config.brokerId,
        brokerAddr: brokerAddrOf(config),
        listenPort: config.listenPort,
        storePathRootDir: config.storePathRootDir,
        flushDiskType: config.flushDiskType,
        namesrvAddr: namesrvAddrList(config),
        autoCreateTopicEnable: config.autoCreateTopicEnable,
      });
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { namesrv, broker, stop };
}
