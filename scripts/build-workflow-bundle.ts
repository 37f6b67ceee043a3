import { relative } from 'node:path';
import { PREBUILT_BUNDLE_PATH, writeWorkflowBundle } from '../src/worker/workflow-bundle';

/**
 * Part of `npm run build`: bundles the workflows once (webpack) into dist/workflow-bundle.js, with a manifest of the
 * sources it was built from, so workers start without bundling and notice a bundle older than the code.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const sources = await writeWorkflowBundle(PREBUILT_BUNDLE_PATH);
  console.log(`${relative(process.cwd(), PREBUILT_BUNDLE_PATH)}: workflow bundle of ${sources} files in ${Date.now() - started} ms`);
}

main().catch((err: unknown) => {
  console.error(`build-workflow-bundle: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
