import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonConfigFile } from './json-config-file';
import { removeDir, tempStoreDir } from './store-test-fixtures';

describe('JsonConfigFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = tempStoreDir('json-');
  });

  afterEach(() => removeDir(dir));

  it('writes through a .tmp file, keeps the previous version as .bak, and loads it back', async () => {
    const file = new JsonConfigFile<{ counter: number }>(path.join(dir, 'config', 'topics.json'));
    expect(file.load()).toBeUndefined();
    await file.persist({ counter: 1 });
    await file.persist({ counter: 2 });
    expect(file.load()).toEqual({ counter: 2 });
    expect(JSON.parse(fs.readFileSync(`${file.filePath}.bak`, 'utf8'))).toEqual({ counter: 1 });
    expect(fs.existsSync(`${file.filePath}.tmp`)).toBe(false);
  });

  it('falls back to the .bak when the main file is damaged, and serializes concurrent writes', async () => {
    const file = new JsonConfigFile<number[]>(path.join(dir, 'offsets.json'));
    await Promise.all([file.persist([1]), file.persist([1, 2]), file.persist([1, 2, 3])]);
    expect(file.load()).toEqual([1, 2, 3]);
    fs.writeFileSync(file.filePath, '{"half":');
    expect(file.load()).toEqual([1, 2]);
    file.persistSync([9]);
    expect(file.load()).toEqual([9]);
  });
});
