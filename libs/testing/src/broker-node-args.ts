/**
 * The Node flags the broker runs with (`npx nx serve broker`, hence `npm start`), for the
 * benchmarks and tests that start a broker process themselves. Keep in step with the `serve` target
 * in apps/broker/project.json; broker-node-args.spec.ts fails when they drift apart.
 *
 * Why these (apps/broker/README.md, Performance, has the figures):
 * - `--single-threaded-gc`: on a 2-core machine shared with the broker's clients, V8's parallel
 *   scavenger waits for helper threads that compete for the same cores;
 * - a fixed 4 MiB young generation (`--min/--max-semi-space-size=4`): a scavenge's pause grows with
 *   the objects that survive it, and in the broker those grow with the time between scavenges
 *   (requests in flight, parked pulls, buffers queued on sockets). V8's default young generation grows
 *   to 16 MiB: a 2–3.7 ms pause four times a second at 5,000 msg/s, each one delaying every message in
 *   flight. At 4 MiB a pause is ~0.7 ms, too short to push a message past the latency target, and
 *   batch throughput stays the same.
 */
export const BROKER_NODE_ARGS: readonly string[] = [
  '--single-threaded-gc',
  '--min-semi-space-size=4',
  '--max-semi-space-size=4',
];
