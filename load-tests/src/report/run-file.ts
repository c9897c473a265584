/**
 * A run file is written by the sampler, but also copied around, hand-edited and kept from older
 * versions. Checking it field by field here means a wrong file gets one sentence naming the field
 * ("samples[3].backlog is not a number") instead of a page of NaN or a stack trace from deep in the
 * renderer.
 */
import { readFile } from 'node:fs/promises';
import { type LoadFigures, type PeakShavingRun, type PeakShavingSample } from '../shaping/peak-shaving-run';

/** The input is missing, is not JSON or is not a run: the message says which, for a person to fix. */
export class RunFileError extends Error {
  override readonly name = 'RunFileError';
}

/** Reads and checks a run file; every failure is a RunFileError naming the file. */
export async function readRunFile(path: string): Promise<PeakShavingRun> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error);
    throw new RunFileError(`cannot read run file ${path}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunFileError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parsePeakShavingRun(json);
  } catch (error) {
    if (error instanceof RunFileError)
      throw new RunFileError(`${path} is not a peak-shaving run: ${error.message}`);
    throw error;
  }
}

/** The value itself if it has the shape of a PeakShavingRun; otherwise a RunFileError naming the field. */
export function parsePeakShavingRun(value: unknown): PeakShavingRun {
  const run = object(value, 'the run');
  string(run.scenario, 'scenario');
  string(run.tool, 'tool');
  string(run.saleId, 'saleId');
  string(run.startedAt, 'startedAt');
  const intervalMs = number(run.intervalMs, 'intervalMs');
  if (intervalMs <= 0) throw new RunFileError('intervalMs must be above 0');
  if (!Array.isArray(run.samples)) throw new RunFileError('samples is not an array');
  run.samples.forEach((sample, index) => checkSample(sample, `samples[${index}]`));
  if (run.load !== undefined) checkLoad(run.load, 'load');
  if (run.books !== undefined) {
    const books = object(run.books, 'books');
    if (typeof books.drained !== 'boolean') throw new RunFileError('books.drained is not true or false');
    number(books.drainMs, 'books.drainMs');
    if (!Array.isArray(books.violations) || books.violations.some((entry) => typeof entry !== 'string')) {
      throw new RunFileError('books.violations is not a list of strings');
    }
  }
  return value as PeakShavingRun;
}

const SAMPLE_FIELDS: readonly (keyof PeakShavingSample)[] = [
  't',
  'edgeRequestsPerSec',
  'edgeAcceptedPerSec',
  'ordersWrittenPerSec',
  'backlog',
];

function checkSample(value: unknown, where: string): void {
  const sample = object(value, where);
  for (const field of SAMPLE_FIELDS) number(sample[field], `${where}.${field}`);
  if ((sample.t as number) < 0) throw new RunFileError(`${where}.t is below 0`);
}

function checkLoad(value: unknown, where: string): void {
  const load = object(value, where);
  const fields: readonly (keyof LoadFigures)[] = ['requests', 'durationSec', 'requestsPerSec'];
  for (const field of fields) number(load[field], `${where}.${field}`);
  const latency = object(load.latencyMs, `${where}.latencyMs`);
  for (const field of ['p50', 'p90', 'p99', 'max']) number(latency[field], `${where}.latencyMs.${field}`);
  const statuses = object(load.statusCounts, `${where}.statusCounts`);
  for (const [status, count] of Object.entries(statuses)) number(count, `${where}.statusCounts["${status}"]`);
  if (load.phases === undefined) return;
  const phases = object(load.phases, `${where}.phases`);
  for (const name of ['selling', 'soldOut']) {
    const phase = object(phases[name], `${where}.phases.${name}`);
    for (const field of ['answers', 'durationSec', 'answersPerSec'])
      number(phase[field], `${where}.phases.${name}.${field}`);
    const phaseLatency = object(phase.latencyMs, `${where}.phases.${name}.latencyMs`);
    for (const field of ['p50', 'p90', 'p99', 'max']) {
      number(phaseLatency[field], `${where}.phases.${name}.latencyMs.${field}`);
    }
  }
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunFileError(`${where} is not an object`);
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new RunFileError(`${where} is not a string`);
  return value;
}

function number(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RunFileError(`${where} is not a number`);
  return value;
}
