/**
 * At most `size` of the process's activities use the database at once; the others wait here, in
 * the order they came, instead of timing out in the pool. The worker's Temporal workers run
 * activity tasks (the first) and local activities (each its own workflow tasks' decision writes,
 * ADR 0011): their limits are set per worker, this bounds what they run together.
 */
export class ConnectionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`ConnectionGate needs a size of 1 or more, got ${size}`);
  }

  /** Runs `work` once a place is free, and frees it when `work` settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.size) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The place goes straight to the next in line, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
