import * as path from 'node:path';
import { javaStringHashCode } from '@flashsale/mq/protocol';
import { IndexFile } from './index-file';
import { removeDir, tempStoreDir } from './store-test-fixtures';

describe('IndexFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = tempStoreDir('index-');
  });

  afterEach(() => removeDir(dir));

  it('chains entries per slot, filters by hash and time, and reads the same after persist and reload', async () => {
    const file = IndexFile.create(dir, Date.now(), 4, 100);
    const t0 = 1_700_000_000_000;
    // With 4 slots these keys collide; each lookup must return only its own key's offsets.
    for (let i = 0; i < 40; i++) expect(file.putKey(`T#key-${i % 8}`, i * 100, t0 + i * 1000)).toBe(true);
    expect(file.indexCount).toBe(41);
    expect(file.beginTimestamp).toBe(t0);
    expect(file.endPhyOffset).toBe(3900);

    const lookup = (f: IndexFile, key: string, begin = 0, end = Number.MAX_SAFE_INTEGER) => {
      const out: number[] = [];
      f.selectPhyOffsets(out, key, 100, begin, end);
      return out;
    };
    expect(lookup(file, 'T#key-3')).toEqual([3500, 2700, 1900, 1100, 300]);
    expect(lookup(file, 'T#key-3', t0 + (1100 * 1000) / 100, t0 + 27_000)).toEqual([2700, 1900, 1100]);
    expect(lookup(file, 'T#absent')).toEqual([]);
    expect(javaStringHashCode('T#key-3') % 4).toBe(javaStringHashCode('T#key-7') % 4);

    await file.persist();
    file.close();
    const reloaded = IndexFile.load(path.join(dir, path.basename(file.filePath)), 4, 100, false);
    expect(reloaded.indexCount).toBe(41);
    expect(lookup(reloaded, 'T#key-3')).toEqual([3500, 2700, 1900, 1100, 300]);
    reloaded.close();
  });

  it('refuses new keys once maxIndexNum entries are used (entry #0 is never used)', () => {
    const file = IndexFile.create(dir, Date.now(), 8, 4);
    expect([1, 2, 3].map((i) => file.putKey(`k${i}`, i, Date.now()))).toEqual([true, true, true]);
    expect(file.putKey('k4', 4, Date.now())).toBe(false);
    expect(file.isWriteFull()).toBe(true);
    file.close();
  });
});
