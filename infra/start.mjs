#!/usr/bin/env node
// `npm start`: bring up PostgreSQL and Redis (yours from DATABASE_URL / REDIS_URL, or local ones with
// their data under .data/), then serve every app through Nx with prefixed logs. Ctrl-C stops the apps,
// then the infrastructure, and leaves no process behind.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { startInfraProcess } = require('./infra-process.js');
const root = path.resolve(import.meta.dirname, '..');
const say = (line) => process.stdout.write(`[start] ${line}\n`);

const dataDir = process.env.FLASHSALE_DATA_DIR ?? path.join(root, '.data');
// Where the running stack's servers are, for the load-test tools (`npm run load:*`) to find them.
const stackFile = path.join(dataDir, 'stack.json');

say('bringing up PostgreSQL and Redis...');
let infra;
try {
  infra = await startInfraProcess({
    dataDir,
    ephemeral: false,
    onLog: (line) => {
      if (/ERROR|FATAL|PANIC|WARNING|infra:/.test(line)) process.stderr.write(`[infra] ${line}\n`);
    },
  });
} catch (error) {
  process.stderr.write(`[start] ${error.message}\n`);
  process.exit(1);
}
say(`PostgreSQL: ${infra.databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
say(`Redis:      ${infra.redisUrl}`);
mkdirSync(dataDir, { recursive: true });
writeFileSync(
  stackFile,
  JSON.stringify({ databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl, pid: process.pid }, null, 2),
);

const projects = process.env.START_PROJECTS ?? 'broker,order,inventory,notify';
const nxArgs = ['nx', 'run-many', '-t', 'serve', `--projects=${projects}`, '--output-style=stream'];
nxArgs.push(`--parallel=${projects.split(',').length}`);
const env = {
  ...process.env,
  DATABASE_URL: infra.databaseUrl,
  REDIS_URL: infra.redisUrl,
  NX_DAEMON: 'false',
};
const apps = spawn('npx', nxArgs, { cwd: root, stdio: 'inherit', env, detached: true });

let stopping = false;
async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  say('stopping apps...');
  await killGroup(apps, 15000);
  rmSync(stackFile, { force: true });
  say('stopping PostgreSQL and Redis...');
  await infra.stop();
  say('stopped');
  process.exit(exitCode);
}

/** Signals the whole process group of a detached child (Nx and every app it serves). */
function killGroup(child, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const signal = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    const force = setTimeout(() => signal('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      signal('SIGKILL'); // anything an app left behind in the group
      resolve();
    });
    signal('SIGINT');
  });
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
apps.on('exit', (code) => void stop(code ?? 1));
