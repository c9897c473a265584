import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultHtmlPath, renderReportFiles } from './render-report.cli';

const CLI = path.join(__dirname, 'render-report.cli.ts');
const ROOT = path.join(__dirname, '..', '..', '..');

const run = {
  scenario: 'spike',
  tool: 'node driver (undici 7.30.2)',
  saleId: 'sale-1',
  startedAt: '2025-06-12T09:30:00.000Z',
  intervalMs: 1000,
  samples: [
    { t: 0, edgeRequestsPerSec: 100, edgeAcceptedPerSec: 50, ordersWrittenPerSec: 20, backlog: 30 },
    { t: 1, edgeRequestsPerSec: 0, edgeAcceptedPerSec: 0, ordersWrittenPerSec: 30, backlog: 0 },
  ],
};

/** Runs the CLI as a person would; resolves with its exit code and output. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', CLI, ...args],
      { cwd: ROOT },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('renderReportFiles', () => {
  let dir: string;
  let runFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'render-report-'));
    runFile = path.join(dir, 'spike-1.json');
    await writeFile(runFile, JSON.stringify(run));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the HTML next to the run file, or where --out says', async () => {
    const report = await renderReportFiles(runFile);
    expect(report).toEqual({ htmlPath: path.join(dir, 'spike-1.html') });
    expect(await readFile(report.htmlPath, 'utf8')).toContain(
      'Peak shaving: spike (node driver (undici 7.30.2))',
    );

    const out = path.join(dir, 'elsewhere.html');
    expect((await renderReportFiles(runFile, { out })).htmlPath).toBe(out);
    expect((await stat(out)).size).toBeGreaterThan(0);
  });

  it('skips the PNG with a note when there is no Chromium', async () => {
    const report = await renderReportFiles(runFile, {
      png: true,
      chromium: { env: {}, paths: [], names: [] },
    });
    expect(report.pngPath).toBeUndefined();
    expect(report.pngSkipped).toMatch(/^PNG skipped: .*apt-get install chromium/);
    expect((await stat(report.htmlPath)).size).toBeGreaterThan(0);
  });

  it('names the HTML after the run file', () => {
    expect(defaultHtmlPath('results/run.json')).toBe('results/run.html');
    expect(defaultHtmlPath('results/RUN.JSON')).toBe('results/RUN.html');
    expect(defaultHtmlPath('results/run')).toBe('results/run.html');
  });

  describe('from the command line', () => {
    it('prints the path of the report it wrote', async () => {
      const result = await cli([runFile, '--out', path.join(dir, 'out.html')]);
      expect(result).toMatchObject({ code: 0, stdout: `${path.join(dir, 'out.html')}\n` });
    });

    it('exits 1 with one clear sentence for a missing, broken or wrong file', async () => {
      const missing = await cli([path.join(dir, 'missing.json')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('cannot read run file');
      expect(missing.stderr).not.toMatch(/\bat .*\.ts:\d+/);

      await writeFile(path.join(dir, 'broken.json'), '{');
      const broken = await cli([path.join(dir, 'broken.json')]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('is not valid JSON');

      await writeFile(path.join(dir, 'other.json'), '[1, 2]');
      const other = await cli([path.join(dir, 'other.json')]);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain('is not a peak-shaving run: the run is not an object');
    });

    it('exits 1 with the usage for no file or an unknown option', async () => {
      const none = await cli([]);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('usage:');
      const unknown = await cli([runFile, '--pdf']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('usage:');
    });
  });
});
