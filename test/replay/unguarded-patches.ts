/**
 * Stands in for @temporalio/workflow in one test bundle: `patched()` answers true, as if a behaviour change had
 * shipped without its guard. Replaying a history recorded before the change against that bundle must fail. A bundle
 * built for one patch (UNGUARDED_PATCH, set at bundle time) takes away that guard only; the others work as they do.
 */
import { patched as guarded } from '@temporalio/workflow/lib/index';

export * from '@temporalio/workflow/lib/index';

declare const UNGUARDED_PATCH: string | undefined;

export function patched(patchId: string): boolean {
  return typeof UNGUARDED_PATCH === 'undefined' || UNGUARDED_PATCH === patchId ? true : guarded(patchId);
}
