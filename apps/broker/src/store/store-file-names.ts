/**
 * How RocketMQ names its files (`UtilAll.offset2FileName`, `UtilAll.timeMillisToHumanString`), and
 * where they live under the store root (`StorePathConfigHelper`).
 *
 * Interview question: "How does the broker find the file that holds offset X without an index?" —
 * every segment is named by the offset of its first byte, so a division finds it.
 */
import * as path from 'node:path';

const OFFSET_NAME = /^\d{20}$/;

/** `00000000001073741824` for offset 1 GiB. */
export function offsetToFileName(offset: number): string {
  return String(offset).padStart(20, '0');
}

export function parseOffsetFileName(name: string): number | undefined {
  return OFFSET_NAME.test(name) ? Number(name) : undefined;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `yyyyMMddHHmmssSSS` in local time, the name of an IndexFile created at `ms`. */
export function timestampToFileName(ms: number): string {
  const d = new Date(ms);
  return (
    String(d.getFullYear()) +
    two(d.getMonth() + 1) +
    two(d.getDate()) +
    two(d.getHours()) +
    two(d.getMinutes()) +
    two(d.getSeconds()) +
    String(d.getMilliseconds()).padStart(3, '0')
  );
}

export const StorePaths = {
  commitLog: (root: string) => path.join(root, 'commitlog'),
  consumeQueueRoot: (root: string) => path.join(root, 'consumequeue'),
  consumeQueue: (root: string, topic: string, queueId: number) =>
    path.join(root, 'consumequeue', topic, String(queueId)),
  index: (root: string) => path.join(root, 'index'),
  checkpoint: (root: string) => path.join(root, 'checkpoint'),
  abort: (root: string) => path.join(root, 'abort'),
  config: (root: string) => path.join(root, 'config'),
} as const;
