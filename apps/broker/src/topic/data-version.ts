/**
 * DataVersion: a timestamp and a counter, bumped whenever the broker's topic table changes. The broker
 * sends it with every registration so that a NameServer only rebuilds its routes when it moved.
 */
import type { DataVersion } from '@flashsale/mq/protocol';

export function initialDataVersion(now = Date.now()): DataVersion {
  return { timestamp: now, counter: 0 };
}

export function nextDataVersion(previous: DataVersion, now = Date.now()): DataVersion {
  return { timestamp: now, counter: previous.counter + 1 };
}
