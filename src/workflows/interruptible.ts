import { CancellationScope, condition } from '@temporalio/workflow';

export const INTERRUPTED = Symbol('interrupted');

/**
 * Runs `work` (activities, timers) in its own cancellation scope and gives up on it as soon as `interrupted()`
 * holds: the scope is cancelled (so pending activities get a cancellation request) and INTERRUPTED is returned.
 */
export async function interruptible<T>(work: () => Promise<T>, interrupted: () => boolean): Promise<T | typeof INTERRUPTED> {
  let settled = false;
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  const scope = new CancellationScope();
  scope
    .run(work)
    .then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    )
    .finally(() => (settled = true));
  await condition(() => settled || interrupted());
  if (!settled) {
    scope.cancel();
    return INTERRUPTED;
  }
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.value;
}
