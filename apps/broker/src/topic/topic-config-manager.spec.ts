import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveBrokerConfig } from '../broker-config';
import { silentBrokerLogger } from '../broker-logger';
import { TopicConfigManager, newTopicConfig } from './topic-config-manager';

describe('TopicConfigManager', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'topic-config-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function manager(overrides = {}): TopicConfigManager {
    const topics = new TopicConfigManager(
      resolveBrokerConfig({ storePathRootDir: dir, ...overrides }),
      silentBrokerLogger,
    );
    topics.load();
    return topics;
  }

  it('has TBW102 (8/8, perm 7) and the built-in topics', () => {
    const topics = manager();
    expect(topics.selectTopicConfig('TBW102')).toMatchObject({
      readQueueNums: 8,
      writeQueueNums: 8,
      perm: 7,
    });
    expect(topics.selectTopicConfig('SCHEDULE_TOPIC_XXXX')).toMatchObject({
      readQueueNums: 18,
      writeQueueNums: 18,
    });
    for (const name of ['SELF_TEST_TOPIC', 'OFFSET_MOVED_EVENT', 'DefaultCluster', 'broker-a']) {
      expect(topics.selectTopicConfig(name)).toBeDefined();
    }
  });

  it('has no TBW102 when auto-creation is off, and then cannot auto-create', () => {
    const topics = manager({ autoCreateTopicEnable: false });
    expect(topics.selectTopicConfig('TBW102')).toBeUndefined();
    expect(topics.createTopicInSendMessageMethod('New', 'TBW102', 4, 0)).toBeUndefined();
  });

  it('auto-creates with min(client queues, TBW102 queues) and TBW102 perm without INHERIT', () => {
    const topics = manager();
    const changes: string[] = [];
    topics.onChange((topic) => changes.push(topic));
    const before = topics.getDataVersion();
    expect(topics.createTopicInSendMessageMethod('Auto4', 'TBW102', 4, 0)).toMatchObject({
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
    });
    expect(topics.createTopicInSendMessageMethod('Auto16', 'TBW102', 16, 0)).toMatchObject({
      writeQueueNums: 8,
    });
    expect(changes).toEqual(['Auto4', 'Auto16']);
    expect(topics.getDataVersion().counter).toBe(before.counter + 2);
  });

  it('refuses to inherit from a topic without the INHERIT bit', () => {
    const topics = manager();
    topics.updateTopicConfig(newTopicConfig('Plain', { perm: 6 }));
    expect(topics.createTopicInSendMessageMethod('Child', 'Plain', 4, 0)).toBeUndefined();
  });

  it('persists created topics to config/topics.json and loads them back', async () => {
    const first = manager();
    first.updateTopicConfig(newTopicConfig('Orders', { readQueueNums: 4, writeQueueNums: 4 }));
    first.createTopicInSendMessageBackMethod('%RETRY%g', 1, 6, 0);
    await first.persist();
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'config', 'topics.json'), 'utf8'));
    expect(Object.keys(saved.topicConfigTable).sort()).toEqual(['%RETRY%g', 'Orders']);

    const second = manager();
    expect(second.selectTopicConfig('Orders')).toMatchObject({
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
    });
    expect(second.selectTopicConfig('%RETRY%g')).toMatchObject({ writeQueueNums: 1 });
    expect(second.getDataVersion().counter).toBeGreaterThan(first.getDataVersion().counter);
  });

  it('does not bump the data version for an identical update', () => {
    const topics = manager();
    topics.updateTopicConfig(newTopicConfig('Same'));
    const version = topics.getDataVersion();
    topics.updateTopicConfig(newTopicConfig('Same'));
    expect(topics.getDataVersion()).toEqual(version);
  });
});
