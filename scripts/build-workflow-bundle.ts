import { relative } from 'node:path';
import { PREBUILT_BUNDLE_PATH, writeWorkflowBundle } from '../src/worker/workflow-bundle';

/**
 * Part of `npm run build`: bundles the workflows once (webpack) into dist/workflow-bundle.js, with a manifest of the
 * sources it was built from, so workers start without bundling and notice a bundle older than the code. Built with
 * workflow stack traces when WORKFLOW_STACK_TRACES is 1 or true in the environment, as the worker would want it.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const stackTraces = ['1', 'true'].includes(process.env.WORKFLOW_STACK_TRACES ?? '');
  const sources = await writeWorkflowBundle(PREBUILT_BUNDLE_PATH, { stackTraces });
  console.log(`${relative(process.cwd(), PREBUILT_BUNDLE_PATH)}: workflow bundle of ${sources} files${stackTraces ? ', with stack traces,' : ''} in ${Date.now() - started} ms`);
}

main().catch((err: unknown) => {
  console.error(`build-workflow-bundle: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
