import { EventEmitter } from 'node:events';
import type { DeliveryAttempt } from './records';

/** Every webhook delivery attempt, in order, with a way to wait for the ones a test expects. */
export class DeliveryLog {
  private attempts: DeliveryAttempt[] = [];
  private readonly events = new EventEmitter();

  /** Records one attempt and wakes any waiter. */
  record(attempt: DeliveryAttempt): void {
    this.attempts.push(attempt);
    this.events.emit('attempt');
  }

  /** The attempts so far, oldest first. */
  all(): readonly DeliveryAttempt[] {
    return [...this.attempts];
  }

  /** Forgets every attempt. */
  clear(): void {
    this.attempts = [];
  }

  /**
   * Resolves with all attempts once `predicate` holds for them; rejects after `timeoutMs` with what was
   * seen, so a test fails with a reason instead of hanging.
   */
  waitFor(
    predicate: (attempts: readonly DeliveryAttempt[]) => boolean,
    timeoutMs = 5000,
  ): Promise<readonly DeliveryAttempt[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.attempts)) return;
        cleanup();
        resolve(this.all());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`webhook deliveries not as expected after ${timeoutMs} ms: ${JSON.stringify(this.attempts)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('attempt', check);
      };
      this.events.on('attempt', check);
      check();
    });
  }
}
