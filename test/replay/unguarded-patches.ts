/**
 * Stands in for @temporalio/workflow in one test bundle: every `patched()` call answers true, as if a behaviour change
 * had shipped without its guard. Replaying a history recorded before the change against that bundle must fail.
 */
export * from '@temporalio/workflow/lib/index';

export function patched(_patchId: string): boolean {
  return true;
}
