import { allocateMessageQueueAveragely } from './allocate-message-queue-averagely';

const queues = (n: number) => Array.from({ length: n }, (_, i) => i);
const ids = (c: number) => Array.from({ length: c }, (_, i) => `client-${i}`);
const allocateAll = (n: number, c: number) =>
  ids(c).map((id) => allocateMessageQueueAveragely(id, queues(n), ids(c)));

describe('allocateMessageQueueAveragely', () => {
  it('splits 8 queues over 3 consumers as {0,1,2} {3,4,5} {6,7}', () => {
    expect(allocateAll(8, 3)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
  });

  it('splits evenly when the counts divide', () => {
    expect(allocateAll(8, 2)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(allocateAll(8, 8)).toEqual(queues(8).map((q) => [q]));
  });

  it('gives consumers beyond the queue count nothing', () => {
    expect(allocateAll(3, 5)).toEqual([[0], [1], [2], [], []]);
  });

  it('gives one consumer everything, and an unknown consumer nothing', () => {
    expect(allocateAll(5, 1)).toEqual([[0, 1, 2, 3, 4]]);
    expect(allocateMessageQueueAveragely('stranger', queues(8), ids(2))).toEqual([]);
    expect(allocateMessageQueueAveragely('client-0', [], ids(2))).toEqual([]);
  });

  it('assigns every queue exactly once for any N and C', () => {
    for (let n = 1; n <= 20; n++) {
      for (let c = 1; c <= 10; c++) {
        const all = allocateAll(n, c).flat();
        expect(all.sort((a, b) => a - b)).toEqual(queues(n));
      }
    }
  });
});
