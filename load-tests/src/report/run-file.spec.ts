import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePeakShavingRun, readRunFile, RunFileError } from './run-file';

const valid = {
  scenario: 'spike',
  tool: 'k6 v1.3.0',
  saleId: 'sale-1',
  startedAt: '2025-06-12T09:30:00.000Z',
  intervalMs: 1000,
  samples: [{ t: 0, edgeRequestsPerSec: 10, edgeAcceptedPerSec: 5, ordersWrittenPerSec: 2, backlog: 3 }],
  load: {
    requests: 10,
    durationSec: 1,
    requestsPerSec: 10,
    latencyMs: { p50: 1, p90: 2, p99: 3, max: 4 },
    statusCounts: { '202': 5, '409': 5 },
  },
  books: { drained: true, drainMs: 12, violations: [] },
};

function without(field: string): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(valid);
  delete copy[field];
  return copy;
}

describe('parsePeakShavingRun', () => {
  it('accepts a run, with or without load figures and books', () => {
    expect(parsePeakShavingRun(valid)).toEqual(valid);
    expect(parsePeakShavingRun(without('load'))).toBeDefined();
    expect(parsePeakShavingRun(without('books'))).toBeDefined();
    expect(parsePeakShavingRun({ ...valid, samples: [] })).toBeDefined();
  });

  it.each([
    [[], 'the run is not an object'],
    [null, 'the run is not an object'],
    [without('scenario'), 'scenario is not a string'],
    [without('samples'), 'samples is not an array'],
    [{ ...valid, intervalMs: 0 }, 'intervalMs must be above 0'],
    [
      { ...valid, samples: [valid.samples[0], { ...valid.samples[0], backlog: '7' }] },
      'samples[1].backlog is not a number',
    ],
    [{ ...valid, samples: [{ ...valid.samples[0], t: -1 }] }, 'samples[0].t is below 0'],
    [{ ...valid, load: { ...valid.load, latencyMs: { p50: 1 } } }, 'load.latencyMs.p90 is not a number'],
    [
      { ...valid, load: { ...valid.load, statusCounts: { '202': null } } },
      'load.statusCounts["202"] is not a number',
    ],
    [{ ...valid, books: { ...valid.books, violations: [1] } }, 'books.violations is not a list of strings'],
  ])('names what is wrong: %#', (value, message) => {
    expect(() => parsePeakShavingRun(value)).toThrow(new RunFileError(message));
  });
});

describe('readRunFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'run-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a run', async () => {
    const file = path.join(dir, 'run.json');
    await writeFile(file, JSON.stringify(valid));
    await expect(readRunFile(file)).resolves.toEqual(valid);
  });

  it('says which file is missing, is not JSON or is not a run', async () => {
    const missing = path.join(dir, 'missing.json');
    await expect(readRunFile(missing)).rejects.toThrow(`cannot read run file ${missing}: no such file`);

    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{"scenario": ');
    await expect(readRunFile(broken)).rejects.toThrow(new RegExp(`^${broken} is not valid JSON: `));

    const other = path.join(dir, 'other.json');
    await writeFile(other, JSON.stringify({ hello: 'world' }));
    await expect(readRunFile(other)).rejects.toThrow(
      `${other} is not a peak-shaving run: scenario is not a string`,
    );
    await expect(readRunFile(other)).rejects.toBeInstanceOf(RunFileError);
  });
});
