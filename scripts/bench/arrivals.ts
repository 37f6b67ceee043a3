import type { RequestHandler } from 'express';

/**
 * Arrival times of requests, by key, for a benchmark's probes; `nth` waits for the n-th arrival under a key (1-based)
 * and answers its time. Times are `performance.now()` milliseconds.
 */
export class Arrivals {
  private readonly times = new Map<string, number[]>();
  private readonly waiters = new Map<string, Array<{ n: number; resolve: (t: number) => void }>>();

  record(key: string): void {
    const list = [...(this.times.get(key) ?? []), performance.now()];
    this.times.set(key, list);
    const waiting = this.waiters.get(key) ?? [];
    this.waiters.set(key, waiting.filter((w) => (w.n <= list.length ? (w.resolve(list[w.n - 1]!), false) : true)));
  }

  nth(key: string, n: number): Promise<number> {
    const list = this.times.get(key) ?? [];
    if (list.length >= n) return Promise.resolve(list[n - 1]!);
    return new Promise((resolve) => this.waiters.set(key, [...(this.waiters.get(key) ?? []), { n, resolve }]));
  }

  /** The first arrival under `key` at or after `since`. */
  firstSince(key: string, since: number): number | undefined {
    return (this.times.get(key) ?? []).find((t) => t >= since);
  }

  count(key: string): number {
    return this.times.get(key)?.length ?? 0;
  }

  /** Middleware recording `POST` requests whose path matches `pattern` under the key its first group captures. */
  probe(pattern: RegExp, skip: (headers: Record<string, unknown>) => boolean = () => false): RequestHandler {
    return (req, _res, next) => {
      const key = req.method === 'POST' && !skip(req.headers) ? pattern.exec(req.path)?.[1] : undefined;
      if (key) this.record(key);
      next();
    };
  }
}
