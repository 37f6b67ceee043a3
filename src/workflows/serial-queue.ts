/**
 * Runs async jobs one at a time, in arrival order. Update handlers that await (start a child, call an activity)
 * would otherwise interleave and read each other's half-made changes.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
