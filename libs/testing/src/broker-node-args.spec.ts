import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKER_LOW_LATENCY_NODE_ARGS, BROKER_NODE_ARGS } from './broker-node-args';

describe('BROKER_NODE_ARGS', () => {
  it('are the flags `nx serve broker` starts the broker with', () => {
    const project = JSON.parse(
      readFileSync(join(__dirname, '../../../apps/broker/project.json'), 'utf8'),
    ) as { targets: { serve: { options: { command: string } } } };
    const command = project.targets.serve.options.command.split(' ');
    const flagsBeforeScript = command.slice(1, command.indexOf('-r'));

    expect(flagsBeforeScript.filter((flag) => flag !== '--enable-source-maps')).toEqual([
      ...BROKER_NODE_ARGS,
    ]);
  });

  it('are accepted by this Node, and the low-latency set gives a 4 MiB young generation', () => {
    const newSpaceBytes = (flags: readonly string[]): number =>
      Number(
        execFileSync(process.execPath, [
          ...flags,
          '-e',
          "process.stdout.write(String(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))",
        ]).toString(),
      );

    expect(newSpaceBytes(BROKER_NODE_ARGS)).toBeGreaterThan(0);
    expect(newSpaceBytes(BROKER_LOW_LATENCY_NODE_ARGS)).toBe(4 * 1024 * 1024);
  });
});
