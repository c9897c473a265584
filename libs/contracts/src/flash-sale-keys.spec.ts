import { flashSaleKeys } from './flash-sale-keys';

describe('flashSaleKeys', () => {
  it('puts every key of a sale under one hash tag, so a Lua script may use them all on Redis Cluster', () => {
    const keys = Object.values(flashSaleKeys('42'));
    const tags = keys.map((key) => key.match(/\{[^}]*\}/)?.[0]);
    expect(new Set(tags)).toEqual(new Set(['{sale:42}']));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps sales apart and honours the prefix', () => {
    expect(flashSaleKeys('1', 't1:').stock).toBe('t1:{sale:1}:stock');
    expect(flashSaleKeys('1').stock).not.toBe(flashSaleKeys('2').stock);
  });
});
