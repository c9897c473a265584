#!/usr/bin/env node
// `npm test`: bring up PostgreSQL and Redis once (the user's, from DATABASE_URL / REDIS_URL, or local
// throw-away ones), run every project's tests through Nx, then print one summary line for the run:
//   tests: N passed, M failed
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { startInfraProcess } = require('../../infra/infra-process.js');

const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'flashsale-test-results-'));
const extraArgs = process.argv.slice(2);

let infra;
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  process.stdout.write('test infrastructure: starting local PostgreSQL and Redis...\n');
  infra = await startInfraProcess();
  process.stdout.write(`test infrastructure: PostgreSQL and Redis up (${infra.redisUrl})\n`);
}

const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? infra.databaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? infra.redisUrl,
  TEST_RESULTS_DIR: resultsDir,
  NX_DAEMON: 'false',
  FORCE_COLOR: process.env.CI ? '0' : (process.env.FORCE_COLOR ?? '1'),
};

// One project at a time: each Jest already runs its suites on a worker, and on a 2-core machine two
// projects at once starve the timing-sensitive tests (long-polling latency, delay precision).
const nxArgs = ['nx', 'run-many', '-t', 'test', '--output-style=stream', '--parallel=1', ...extraArgs];
const exitCode = await new Promise((resolve) => {
  const child = spawn('npx', nxArgs, { stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

if (infra) await infra.stop();

const totals = { passed: 0, failed: 0, skipped: 0, failedSuites: 0, projects: 0 };
for (const file of readdirSync(resultsDir)) {
  const record = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8'));
  for (const key of ['passed', 'failed', 'skipped', 'failedSuites']) totals[key] += record[key];
  totals.projects++;
}
rmSync(resultsDir, { recursive: true, force: true });

// A suite that fails to load counts as a failure even though it ran no test.
const failed = totals.failed + totals.failedSuites;
const ok = exitCode === 0 && failed === 0 && totals.passed > 0;
process.stdout.write(`\ntests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped\n`);
process.exit(ok ? 0 : exitCode || 1);
