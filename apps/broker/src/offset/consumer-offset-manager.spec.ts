import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConsumerOffsetManager, consumerOffsetFilePath } from './consumer-offset-manager';

describe('ConsumerOffsetManager', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-offset-'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers -1 for an offset never committed, and the last commit otherwise', () => {
    const manager = new ConsumerOffsetManager({ storePathRootDir: root });
    expect(manager.queryOffset('g', 'T', 0)).toBe(-1);
    manager.commitOffset('127.0.0.1:1', 'g', 'T', 0, 10);
    manager.commitOffset('127.0.0.1:1', 'g', 'T', 0, 12);
    expect(manager.queryOffset('g', 'T', 0)).toBe(12);
    expect(manager.queryOffset('g', 'T', 1)).toBe(-1);
    expect(manager.queryOffset('other', 'T', 0)).toBe(-1);
  });

  it('writes consumerOffset.json with quoted keys and reloads it in a new instance', async () => {
    const first = new ConsumerOffsetManager({ storePathRootDir: root });
    first.commitOffset('h', 'g1', 'T', 0, 123);
    first.commitOffset('h', 'g1', 'T', 3, 456);
    first.commitOffset('h', 'g2', '%RETRY%g2', 0, 7);
    await first.persist();

    const file = consumerOffsetFilePath(root);
    expect(file).toBe(path.join(root, 'config', 'consumerOffset.json'));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      offsetTable: { 'T@g1': { '0': 123, '3': 456 }, '%RETRY%g2@g2': { '0': 7 } },
    });

    const second = new ConsumerOffsetManager({ storePathRootDir: root });
    expect(second.load()).toBe(true);
    expect(second.queryOffset('g1', 'T', 0)).toBe(123);
    expect(second.queryOffset('g1', 'T', 3)).toBe(456);
    expect(second.queryOffset('g2', '%RETRY%g2', 0)).toBe(7);
  });

  it('reads the file a Java broker writes, with unquoted queue-id keys', () => {
    const file = consumerOffsetFilePath(root);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      '{\n\t"offsetTable":{\n\t\t"TopicTest@please_rename_unique_group_name_4":{0:250,1:249,2:251,3:250}\n\t}\n}',
    );
    const manager = new ConsumerOffsetManager({ storePathRootDir: root });
    expect(manager.load()).toBe(true);
    expect(manager.queryOffset('please_rename_unique_group_name_4', 'TopicTest', 2)).toBe(251);
  });

  it('keeps the previous version as .bak and falls back to it when the main file is damaged', async () => {
    const manager = new ConsumerOffsetManager({ storePathRootDir: root });
    manager.commitOffset('h', 'g', 'T', 0, 1);
    await manager.persist();
    manager.commitOffset('h', 'g', 'T', 0, 2);
    await manager.persist();
    const file = consumerOffsetFilePath(root);
    expect(fs.existsSync(`${file}.bak`)).toBe(true);
    fs.writeFileSync(file, '{"offsetTable":{"T@g":{"0":');

    const reloaded = new ConsumerOffsetManager({ storePathRootDir: root });
    expect(reloaded.load()).toBe(true);
    expect(reloaded.queryOffset('g', 'T', 0)).toBe(1);
  });

  it('reports no file on first start', () => {
    expect(new ConsumerOffsetManager({ storePathRootDir: root }).load()).toBe(false);
  });

  it('flushes on its timer and writes the last commits at shutdown', async () => {
    const manager = new ConsumerOffsetManager({ storePathRootDir: root, flushConsumerOffsetInterval: 20 });
    manager.start();
    manager.commitOffset('h', 'g', 'T', 0, 5);
    const file = consumerOffsetFilePath(root);
    const deadline = Date.now() + 2000;
    while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).offsetTable['T@g']['0']).toBe(5);

    manager.commitOffset('h', 'g', 'T', 0, 9);
    await manager.shutdown();
    const reloaded = new ConsumerOffsetManager({ storePathRootDir: root });
    reloaded.load();
    expect(reloaded.queryOffset('g', 'T', 0)).toBe(9);
  });

  it('answers the admin questions: topics of a group, groups of a topic, minimum over groups', () => {
    const manager = new ConsumerOffsetManager({ storePathRootDir: root });
    manager.commitOffset('h', 'g1', 'A', 0, 10);
    manager.commitOffset('h', 'g1', 'A', 1, 30);
    manager.commitOffset('h', 'g2', 'A', 0, 4);
    manager.commitOffset('h', 'g2', 'A', 1, 40);
    manager.commitOffset('h', 'g1', 'B', 0, 1);
    expect([...manager.whichTopicByConsumer('g1')].sort()).toEqual(['A', 'B']);
    expect([...manager.whichGroupByTopic('A')].sort()).toEqual(['g1', 'g2']);
    expect(manager.queryMinOffsetInAllGroup('A')).toEqual(
      new Map([
        [0, 4],
        [1, 30],
      ]),
    );
    expect(manager.queryMinOffsetInAllGroup('A', ['g2'])).toEqual(
      new Map([
        [0, 10],
        [1, 30],
      ]),
    );
  });
});
