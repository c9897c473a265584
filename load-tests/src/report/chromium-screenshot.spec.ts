import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChromium, NO_CHROMIUM_NOTE } from './chromium-screenshot';

describe('findChromium', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'find-chromium-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, mode: number): Promise<string> {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '#!/bin/sh\n');
    await chmod(file, mode);
    return file;
  }

  it('prefers CHROME_PATH, then the fixed paths, then the names on PATH', async () => {
    const chrome = await file('chrome', 0o755);
    const fixed = await file('fixed/chromium', 0o755);
    const onPath = await file('bin/chromium-browser', 0o755);
    const env = { CHROME_PATH: chrome, PATH: path.join(dir, 'bin') };
    expect(findChromium({ env, paths: [fixed] })).toBe(chrome);
    expect(findChromium({ env: { PATH: env.PATH }, paths: [fixed] })).toBe(fixed);
    expect(findChromium({ env: { PATH: env.PATH }, paths: [] })).toBe(onPath);
  });

  it('skips what is missing, not executable or a directory', async () => {
    const notExecutable = await file('bin/chromium', 0o644);
    await mkdir(path.join(dir, 'bin', 'google-chrome'));
    const env = {
      CHROME_PATH: notExecutable,
      PATH: `${path.join(dir, 'nowhere')}${path.delimiter}${path.join(dir, 'bin')}`,
    };
    expect(findChromium({ env, paths: [path.join(dir, 'missing')] })).toBeUndefined();
  });

  it('has a one-line note that says how to get one', () => {
    expect(NO_CHROMIUM_NOTE).not.toContain('\n');
    expect(NO_CHROMIUM_NOTE).toContain('PNG skipped');
    expect(NO_CHROMIUM_NOTE).toContain('apt-get install chromium');
  });
});
