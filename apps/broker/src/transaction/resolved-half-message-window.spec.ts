import { ResolvedHalfMessageWindow } from './resolved-half-message-window';

describe('ResolvedHalfMessageWindow', () => {
  it('knows a resolved transaction by half offset and by UNIQ_KEY (a renewed copy)', () => {
    const window = new ResolvedHalfMessageWindow(10);
    window.add(5, 'K');
    expect(window.isResolved(5, undefined)).toBe(true);
    expect(window.isResolved(9, 'K')).toBe(true);
    expect(window.isResolved(9, 'other')).toBe(false);
  });

  it('forgets the oldest entries beyond its capacity, and on request', () => {
    const window = new ResolvedHalfMessageWindow(2);
    window.add(1, 'A');
    window.add(2, 'B');
    window.add(3, 'C');
    expect(window.isResolved(1, 'A')).toBe(false);
    expect(window.isResolved(2, 'B')).toBe(true);
    window.forget(3);
    expect(window.isResolved(3, 'C')).toBe(false);
    expect(window.size).toBe(1);
  });
});
