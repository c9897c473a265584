import { ConsumerGroupPlan, resolveSubscription, routePattern } from './consumer-group-plan';
import { RocketMQTransportError } from './errors/rocketmq-transport.error';

describe(resolveSubscription.name, () => {
  it('reads a topic string with the default group and all tags', () => {
    expect(resolveSubscription('OrderCreated', undefined, 'inventory')).toEqual({
      group: 'inventory',
      topic: 'OrderCreated',
      tags: '*',
    });
  });

  it('prefers the group of the pattern and the tags of the extras', () => {
    expect(resolveSubscription({ topic: 'T', group: 'g' }, { tags: ' A || B ' }, 'default')).toEqual({
      group: 'g',
      topic: 'T',
      tags: 'A || B',
    });
  });

  it.each([[''], [42], [null], [{ group: 'g' }], [{ topic: 'T', group: 7 }]])(
    'rejects the pattern %j',
    (pattern) => {
      expect(() => resolveSubscription(pattern, undefined, 'g')).toThrow(
        expect.objectContaining({ code: 'INVALID_PATTERN' }),
      );
    },
  );

  it('rejects a pattern without a group when there is no default', () => {
    expect(() => resolveSubscription('T', undefined, undefined)).toThrow(RocketMQTransportError);
  });
});

describe(routePattern.name, () => {
  it('is the same object whatever else the subscription carries', () => {
    expect(routePattern({ group: 'g', topic: 'T' })).toEqual({ group: 'g', topic: 'T' });
  });
});

describe(ConsumerGroupPlan.name, () => {
  it('groups topics by consumer group and merges settings', () => {
    const plan = new ConsumerGroupPlan();
    plan.add({ group: 'g1', topic: 'A', tags: '*' }, { concurrency: 4 });
    plan.add({ group: 'g1', topic: 'B', tags: 'X' }, { concurrency: 4, maxReconsumeTimes: 3 });
    plan.add({ group: 'g2', topic: 'A', tags: '*' }, { messageModel: 'BROADCASTING' });
    expect(plan.groups).toEqual([
      {
        group: 'g1',
        settings: { concurrency: 4, maxReconsumeTimes: 3 },
        subscriptions: new Map([
          ['A', '*'],
          ['B', 'X'],
        ]),
      },
      { group: 'g2', settings: { messageModel: 'BROADCASTING' }, subscriptions: new Map([['A', '*']]) },
    ]);
  });

  it('rejects a second handler for one topic in one group', () => {
    const plan = new ConsumerGroupPlan();
    plan.add({ group: 'g', topic: 'A', tags: 'X' }, undefined);
    expect(() => plan.add({ group: 'g', topic: 'A', tags: 'Y' }, undefined)).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_HANDLER' }),
    );
  });

  it('rejects handlers of one group that disagree on a group setting', () => {
    const plan = new ConsumerGroupPlan();
    plan.add({ group: 'g', topic: 'A', tags: '*' }, { messageModel: 'CLUSTERING' });
    expect(() => plan.add({ group: 'g', topic: 'B', tags: '*' }, { messageModel: 'BROADCASTING' })).toThrow(
      expect.objectContaining({ code: 'CONFLICTING_GROUP_OPTIONS' }),
    );
  });
});
