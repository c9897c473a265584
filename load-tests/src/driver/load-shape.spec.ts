import { spikeStages, sustainedStages } from './load-shape';

describe('load shapes', () => {
  it('ramps a spike up a second at a time, holds it, and ramps it down the same way', () => {
    expect(spikeStages({ startRate: 10, peakRate: 1000, rampSeconds: 4, holdSeconds: 20 })).toEqual([
      { rate: 258, seconds: 1 },
      { rate: 505, seconds: 1 },
      { rate: 753, seconds: 1 },
      { rate: 1000, seconds: 1 },
      { rate: 1000, seconds: 20 },
      { rate: 750, seconds: 1 },
      { rate: 500, seconds: 1 },
      { rate: 250, seconds: 1 },
    ]);
  });

  it('keeps a sustained run at one rate, and a spike lasts ramp + hold + ramp down', () => {
    expect(sustainedStages(2000, 60)).toEqual([{ rate: 2000, seconds: 60 }]);
    const spike = spikeStages({ startRate: 10, peakRate: 3000, rampSeconds: 5, holdSeconds: 20 });
    expect(spike.reduce((sum, stage) => sum + stage.seconds, 0)).toBe(29);
  });
});
