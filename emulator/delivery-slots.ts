/** How many webhook requests are out and how many wait for a slot. */
export interface DeliveryQueueState {
  /** The most requests in flight at once. */
  readonly limit: number;
  readonly inFlight: number;
  readonly queued: number;
}

/**
 * A counting semaphore for webhook requests: at most `limit` are in flight, the rest wait first come, first served.
 * A real sender (Twilio) delivers with bounded concurrency; an unbounded burst would test a product against load no
 * sender produces (issue 16: 5,000 replies sent at once).
 */
export class DeliverySlots {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('the webhook concurrency limit must be an integer of 1 or more');
  }

  /** Resolves true once a slot is held (pair it with {@link release}), or false if `stop` aborts the wait first. */
  acquire(stop: AbortSignal): Promise<boolean> {
    if (stop.aborted) return Promise.resolve(false);
    if (this.inFlight < this.limit) {
      this.inFlight += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = () => {
        stop.removeEventListener('abort', abandon);
        resolve(true);
      };
      const abandon = () => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(false);
      };
      this.waiting.push(grant);
      stop.addEventListener('abort', abandon, { once: true });
    });
  }

  /** Frees a held slot; the longest waiter, if any, takes it over (the in-flight count stays). */
  release(): void {
    const next = this.waiting.shift();
    if (next) return next();
    this.inFlight -= 1;
  }

  /** The limit, the requests out and the requests waiting. */
  state(): DeliveryQueueState {
    return { limit: this.limit, inFlight: this.inFlight, queued: this.waiting.length };
  }
}
