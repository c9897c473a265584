import { type PeakShavingSample } from '../shaping/peak-shaving-run';
import { summarizeSamples } from './peak-shaving-summary';

function sample(
  t: number,
  edge: number,
  accepted: number,
  orders: number,
  backlog: number,
): PeakShavingSample {
  return { t, edgeRequestsPerSec: edge, edgeAcceptedPerSec: accepted, ordersWrittenPerSec: orders, backlog };
}

/** A small spike: the gate admits 300/s for 3 s, the consumer writes 150/s for 6 s. */
const spike = [
  sample(0, 0, 0, 0, 0),
  sample(1, 2000, 300, 150, 150),
  sample(2, 4870, 300, 150, 300),
  sample(3, 4000, 300, 150, 450),
  sample(4, 0, 0, 150, 300),
  sample(5, 0, 0, 150, 150),
  sample(6, 0, 0, 150, 0),
  sample(7, 0, 0, 0, 0),
];

describe('summarizeSamples', () => {
  it('finds the peaks, the pace of the writes and when the backlog drained', () => {
    expect(summarizeSamples(spike)).toEqual({
      samples: 8,
      firstT: 0,
      lastT: 7,
      peakEdgeRequests: { value: 4870, t: 2 },
      peakAccepted: { value: 300, t: 1 },
      orderWriting: { meanPerSec: 150, fromT: 1, toT: 6 },
      maxBacklog: { value: 450, t: 3 },
      backlogDrain: { kind: 'drained', t: 6, secondsAfterPeak: 3 },
    });
  });

  it('averages the writes over the writing window, gaps included, not over the idle start and end', () => {
    const samples = [
      sample(0, 0, 0, 0, 0),
      sample(1, 0, 0, 100, 0),
      sample(2, 0, 0, 0, 0),
      sample(3, 0, 0, 200, 0),
      sample(4, 0, 0, 0, 0),
    ];
    expect(summarizeSamples(samples)?.orderWriting).toEqual({ meanPerSec: 100, fromT: 1, toT: 3 });
  });

  it('says when the backlog is still there at the end of the run', () => {
    const samples = [sample(0, 10, 10, 1, 9), sample(1, 0, 0, 1, 8)];
    expect(summarizeSamples(samples)?.backlogDrain).toEqual({
      kind: 'not-drained',
      lastT: 1,
      lastBacklog: 8,
    });
  });

  it('says when there never was a backlog, and when no order was written', () => {
    const summary = summarizeSamples([sample(0, 5, 0, 0, 0), sample(1, 5, 0, 0, 0)]);
    expect(summary?.backlogDrain).toEqual({ kind: 'no-backlog' });
    expect(summary?.orderWriting).toBeNull();
  });

  it('looks for the drain after the peak, not at the empty start', () => {
    const samples = [
      sample(0, 0, 0, 0, 0),
      sample(1, 0, 0, 0, 5),
      sample(2, 0, 0, 0, 2),
      sample(3, 0, 0, 0, 0),
    ];
    expect(summarizeSamples(samples)?.backlogDrain).toEqual({ kind: 'drained', t: 3, secondsAfterPeak: 2 });
  });

  it('reads samples in time order whatever order the file has them in', () => {
    expect(summarizeSamples([...spike].reverse())).toEqual(summarizeSamples(spike));
  });

  it('has nothing to say about a run without samples', () => {
    expect(summarizeSamples([])).toBeNull();
  });
});
