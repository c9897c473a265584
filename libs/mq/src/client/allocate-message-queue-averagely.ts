/**
 * RocketMQ's default queue allocation strategy (`AllocateMessageQueueAveragely`).
 *
 * Interview question: "How are a topic's queues split among the consumers of a group, and why can't
 * you have more consumers than queues?" — every consumer sorts the same queue list and the same
 * consumer-id list and takes one contiguous block: N queues over C consumers gives the first N % C
 * consumers ceil(N / C) queues and the rest floor(N / C). Nobody coordinates; they agree because they
 * compute the same function of the same inputs. Consumers beyond N get nothing and sit idle.
 */

/**
 * The queues `currentCID` owns. Both lists must already be sorted the same way on every consumer
 * (queues by topic, brokerName, queueId; ids as strings). Unknown `currentCID` → nothing.
 */
export function allocateMessageQueueAveragely<T>(
  currentCID: string,
  mqAll: readonly T[],
  cidAll: readonly string[],
): T[] {
  const index = cidAll.indexOf(currentCID);
  if (index < 0 || mqAll.length === 0) return [];
  const n = mqAll.length;
  const c = cidAll.length;
  const mod = n % c;
  const takesExtra = mod > 0 && index < mod;
  const averageSize = n <= c ? 1 : takesExtra ? Math.floor(n / c) + 1 : Math.floor(n / c);
  const startIndex = takesExtra ? index * averageSize : index * averageSize + mod;
  const range = Math.min(averageSize, n - startIndex);
  const result: T[] = [];
  for (let i = 0; i < range; i++) result.push(mqAll[(startIndex + i) % n]);
  return result;
}
