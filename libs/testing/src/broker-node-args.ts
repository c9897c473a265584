/**
 * The Node flags the broker runs with (`npx nx serve broker`, hence `npm start`), for the
 * benchmarks and tests that start a broker process themselves. Keep in step with the `serve` target
 * in apps/broker/project.json; broker-node-args.spec.ts fails when they drift apart.
 *
 * `--single-threaded-gc`: on a 2-core machine shared with the broker's clients, V8's parallel
 * scavenger waits for helper threads that compete for the same cores.
 *
 * Not here, on purpose: a fixed 4 MiB young generation (`--min-semi-space-size=4
 * --max-semi-space-size=4`). It shortens the broker's scavenges and roughly halves the end-to-end p99
 * of the broker benchmarks, but in the whole stack the purchase endpoint's p99 at 5,000 req/s was worse
 * with it in every one of 9 interleaved pairs (apps/broker/README.md, Performance, has the figures).
 * Pass it with `--broker-node-args` to the benchmarks to see the broker-only effect.
 */
export const BROKER_NODE_ARGS: readonly string[] = ['--single-threaded-gc'];

/** The broker-only latency setting described above, for `--broker-node-args`. */
export const BROKER_LOW_LATENCY_NODE_ARGS: readonly string[] = [
  ...BROKER_NODE_ARGS,
  '--min-semi-space-size=4',
  '--max-semi-space-size=4',
];
