/**
 * Who is buying: mostly people trying once, plus a share of repeat buyers (refreshing, double-clicking,
 * scripts) who must get 409 ALREADY_BOUGHT or 429 RATE_LIMITED, never a second unit. The same mix as
 * load-tests/k6/lib/buyers.ts.
 */
export class BuyerPool {
  private next = 0;

  constructor(
    /** Distinct users in the crowd; after that many, ids wrap around. */
    private readonly users: number,
    /** Share of attempts (0..1) made by someone who has already tried. */
    private readonly repeatRatio: number,
    /** Keeps the ids of different runs apart, so a rerun is a new crowd. */
    private readonly runTag: string,
    private readonly random: () => number = Math.random,
  ) {}

  nextUserId(): string {
    if (this.next > 0 && this.random() < this.repeatRatio) {
      return this.idOf(Math.floor(this.random() * Math.min(this.next, this.users)));
    }
    return this.idOf(this.next++ % this.users);
  }

  private idOf(index: number): string {
    return `${this.runTag}-user-${index}`;
  }
}
