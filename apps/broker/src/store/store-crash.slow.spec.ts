import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageStore } from './message-store';
import { decodeRecord, removeDir, tempStoreDir } from './store-test-fixtures';

interface Ack {
  i: number;
  queueId: number;
  queueOffset: number;
  wroteOffset: number;
}

/** Runs the child until it has acknowledged some messages, then SIGKILLs it at a random moment. */
function runAndKill(dir: string, firstNumber: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join(__dirname, 'store-crash-child.ts'), dir, String(firstNumber)],
      {
        cwd: path.resolve(__dirname, '../../../..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const acks: Ack[] = [];
    let pending = '';
    let killScheduled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [tag, i, queueId, queueOffset, wroteOffset] = line.split(' ');
        if (tag === 'ACK')
          acks.push({ i: +i, queueId: +queueId, queueOffset: +queueOffset, wroteOffset: +wroteOffset });
        if (tag === 'READY' && !killScheduled) {
          killScheduled = true;
          setTimeout(() => child.kill('SIGKILL'), 300 + Math.random() * 700);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve(acks));
  });
}

describe('MessageStore crash safety (SIGKILL during SYNC_FLUSH writes)', () => {
  let dir: string;

  beforeEach(() => {
    dir = tempStoreDir('crash-');
  });

  afterEach(() => removeDir(dir));

  it('keeps every acknowledged message, byte for byte and in order per queue, across two crashes', async () => {
    for (let round = 0; round < 2; round++) {
      const acks = await runAndKill(dir, round * 1_000_000);
      expect(acks.length).toBeGreaterThan(100);
      expect(fs.existsSync(path.join(dir, 'abort'))).toBe(true);

      const store = await MessageStore.open({
        storePathRootDir: dir,
        mappedFileSizeCommitLog: 256 * 1024,
        mappedFileSizeConsumeQueue: 20 * 1000,
        writeChunkSize: 64 * 1024,
        maxHashSlotNum: 1024,
        maxIndexNum: 4096,
      });
      try {
        for (const ack of acks) {
          const got = store.getMessage('g', 'CrashTopic', ack.queueId, ack.queueOffset, 1);
          if (got.status !== 'FOUND') {
            throw new Error(
              `after crash ${round + 1}: acknowledged message ${ack.i} (queue ${ack.queueId} offset ` +
                `${ack.queueOffset}, commit log ${ack.wroteOffset}) is ${got.status}; the recovered log ` +
                `ends at ${store.getMaxPhysicalOffset()}, the queue at ` +
                `${store.getMaxOffsetInQueue('CrashTopic', ack.queueId)}`,
            );
          }
          const message = decodeRecord(got.messages[0]);
          expect(message.commitLogOffset).toBe(ack.wroteOffset);
          expect(message.body.toString()).toBe(`msg-${ack.i}-${'x'.repeat(ack.i % 300)}`);
        }
        // Per queue: consecutive offsets from 0, message numbers strictly increasing.
        for (let q = 0; q < 4; q++) {
          let last = -1;
          for (let offset = 0; offset < store.getMaxOffsetInQueue('CrashTopic', q); offset++) {
            const got = store.getMessage('g', 'CrashTopic', q, offset, 1);
            expect(got.status).toBe('FOUND');
            const i = Number(decodeRecord(got.messages[0]).body.toString().split('-')[1]);
            expect(i).toBeGreaterThan(last);
            last = i;
          }
        }
      } finally {
        await store.shutdown();
      }
    }
  }, 60_000);
});
