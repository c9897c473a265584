/**
 * Child process of store-crash.slow.spec.ts: opens a SYNC_FLUSH store and writes until killed,
 * printing one line per acknowledged put. Under SYNC_FLUSH an acknowledgement means "fsynced",
 * so every printed message must survive the SIGKILL the parent sends at a random moment.
 */
import { MessageStore } from './message-store';
import { makeMessage } from './store-test-fixtures';

const IN_FLIGHT = 64;

async function main(dir: string, firstNumber: number): Promise<void> {
  const store = await MessageStore.open({
    storePathRootDir: dir,
    flushDiskType: 'SYNC_FLUSH',
    mappedFileSizeCommitLog: 256 * 1024,
    mappedFileSizeConsumeQueue: 20 * 1000,
    writeChunkSize: 64 * 1024,
    maxHashSlotNum: 1024,
    maxIndexNum: 4096,
    flushIntervalConsumeQueue: 100,
  });
  process.stdout.write('READY\n');
  let next = firstNumber;
  const putOne = (): void => {
    const i = next++;
    const queueId = i % 4;
    void store
      .putMessage(
        makeMessage({
          topic: 'CrashTopic',
          queueId,
          body: Buffer.from(`msg-${i}-${'x'.repeat(i % 300)}`),
          properties: { KEYS: `key-${i}` },
          bornTimestamp: Date.now(),
          bornHost: { host: '127.0.0.1', port: 1 },
        }),
      )
      .then((r) => {
        if (r.status === 'PUT_OK') {
          const a = r.appendResult!;
          process.stdout.write(`ACK ${i} ${queueId} ${a.queueOffset} ${a.wroteOffset}\n`);
        }
        putOne();
      });
  };
  for (let n = 0; n < IN_FLIGHT; n++) putOne();
}

void main(process.argv[2], Number(process.argv[3] ?? 0));
