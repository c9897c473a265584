/**
 * Runs a canonical k6 scenario (load-tests/k6/*.ts) against the stack when k6 is installed, and reads
 * its handleSummary JSON back into LoadFigures for the run record and the report.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadFigures } from '../shaping/peak-shaving-run';

export const K6_INSTALL_HINT =
  'k6 is not installed. Install it from https://grafana.com/docs/k6/latest/set-up/install-k6/ ' +
  '(Debian/Ubuntu: the dl.k6.io apt repository; macOS: brew install k6; or the release binary on your PATH), ' +
  'or set K6_PATH.';

/** The k6 binary: K6_PATH, else the first `k6` on PATH; undefined when there is none. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.K6_PATH
    ? [env.K6_PATH]
    : (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'k6'));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface K6Run {
  k6: string;
  script: string;
  /** Passed as `-e NAME=value`: the scenario knobs and where the stack and the sale are. */
  env: Record<string, string>;
  cwd: string;
}

/** Runs k6 with its output on our terminal; resolves with its exit code (99 = thresholds failed). */
export function runK6(run: K6Run): Promise<number> {
  const args = [
    'run',
    ...Object.entries(run.env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    run.script,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(run.k6, args, { cwd: run.cwd, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

interface K6Metric {
  values: Record<string, number>;
}

/** LoadFigures from the scenario's summary JSON (load-tests/k6/lib/summary.ts). */
export async function readK6Figures(summaryPath: string): Promise<LoadFigures> {
  const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as {
    testRunDurationMs?: number | null;
    metrics?: Record<string, K6Metric>;
  };
  const metrics = summary.metrics ?? {};
  const count = (name: string) => metrics[name]?.values.count ?? 0;
  const latency = metrics['http_req_duration{name:purchase}'] ?? metrics.http_req_duration;
  const durationSec = (summary.testRunDurationMs ?? 0) / 1000;
  const requests = count('http_reqs');
  const unexpected = metrics.purchase_unexpected_status?.values.passes ?? 0;
  return {
    requests,
    durationSec,
    requestsPerSec: durationSec > 0 ? requests / durationSec : 0,
    latencyMs: {
      p50: latency?.values.med ?? 0,
      p90: latency?.values['p(90)'] ?? 0,
      p99: latency?.values['p(99)'] ?? 0,
      max: latency?.values.max ?? 0,
    },
    statusCounts: {
      '202': count('purchase_accepted'),
      '409': count('purchase_sold_out') + count('purchase_already_bought'),
      '429': count('purchase_rate_limited'),
      ...(unexpected > 0 ? { unexpected } : {}),
    },
  };
}
