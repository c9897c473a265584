// Runs `infra/src/cli.ts up` (PostgreSQL + Redis, see infra/src/infrastructure.ts) as a child process
// and resolves with the URLs it prints once both servers answer. The child gets its own process group,
// so a Ctrl-C in the terminal reaches us first and we shut PostgreSQL down cleanly instead of having it
// killed mid-checkpoint; if we die, the child sees its stdin close and stops by itself.
//
// Used by `npm start` (persistent data under .data/), `npm test` and Jest's global setup (throw-away
// data in a temp dir).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/**
 * @param {{ dataDir?: string, ephemeral?: boolean, forceEmbedded?: boolean, onLog?: (line: string) => void }} options
 */
function startInfraProcess(options = {}) {
  const ephemeral = options.ephemeral ?? true;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flashsale-infra-'));
  const args = ['-r', '@swc-node/register', path.join(root, 'infra/src/cli.ts'), 'up', '--data-dir', dataDir];
  if (ephemeral) args.push('--ephemeral');
  if (options.forceEmbedded) args.push('--force-embedded');
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
    if (options.onLog) for (const line of chunk.toString().split('\n')) if (line) options.onLog(line);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onExit = (code) => reject(new Error(`infrastructure failed to start (exit ${code}):\n${stderr}`));
    child.once('exit', onExit);
    child.stdout.on('data', (chunk) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      child.off('exit', onExit);
      resolve({ ...JSON.parse(line), dataDir, child, stop: () => stopInfraProcess(child) });
    });
  });
}

function stopInfraProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // Closing stdin is the CLI's "stop" signal (it also handles SIGTERM).
    child.stdin.end();
  });
}

module.exports = { startInfraProcess };
