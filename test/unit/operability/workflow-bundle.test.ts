import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../src/logger';
import { prebuiltBundleStatus, workerWorkflowBundle, writeWorkflowBundle } from '../../../src/worker/workflow-bundle';

describe('the prebuilt workflow bundle (npm run build)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-bundle-'));
  const codePath = join(dir, 'workflow-bundle.js');
  const manifestPath = `${codePath}.manifest.json`;

  beforeAll(async () => {
    await writeWorkflowBundle(codePath);
  }, 60_000);

  test('records every project source it was built from, and the lockfile', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { sdkVersion: string; sources: Record<string, string> };
    expect(manifest.sdkVersion).toBe('1.24.0');
    expect(Object.keys(manifest.sources)).toEqual(
      expect.arrayContaining(['package-lock.json', 'src/workflows/index.ts', 'src/workflows/execution/execution-workflow.ts', 'src/flow/interpreter.ts']),
    );
    expect(Object.keys(manifest.sources).some((file) => file.includes('node_modules'))).toBe(false);
  });

  test('matches the sources it was built from', () => {
    expect(prebuiltBundleStatus(codePath)).toEqual({ kind: 'fresh' });
  });

  test('is stale once a source differs, and the status names it', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { sources: Record<string, string> };
    const changed = { ...manifest, sources: { ...manifest.sources, 'src/flow/interpreter.ts': '0'.repeat(64) } };
    const stalePath = join(dir, 'stale.js');
    writeFileSync(stalePath, readFileSync(codePath));
    writeFileSync(`${stalePath}.manifest.json`, JSON.stringify(changed));
    expect(prebuiltBundleStatus(stalePath)).toEqual({ kind: 'stale', changed: ['src/flow/interpreter.ts'] });
  });

  test('preloads the third-party libraries, so the worker evaluates them once and every cached workflow shares them', () => {
    const code = readFileSync(codePath, 'utf8');
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    // Only the module naming the libraries, and the one turning stack traces off: project modules keep their state per workflow.
    expect([...preload.matchAll(/__webpack_require__\([^)]*"([^"]+)"\)/g)].map((match) => match[1])).toEqual(['./src/workflows/preloaded-libraries.ts', './src/workflows/stack-traces-off.ts']);
    // webpack drops a bare require of a `sideEffects: false` package; the module must really pull each library in.
    const start = code.indexOf('/***/ "./src/workflows/preloaded-libraries.ts"');
    const preloaded = code.slice(start, code.indexOf('/***/ }', start));
    for (const library of ['ajv', 'iso8601-duration', 'liquidjs', 're2js']) expect(preloaded).toContain(`"./node_modules/${library}/`);
  });

  test('turns the SDK\'s per-promise stack traces off unless WORKFLOW_STACK_TRACES asks for them; a bundle built the other way is stale', async () => {
    const code = readFileSync(codePath, 'utf8');
    const start = code.indexOf('/***/ "./src/workflows/stack-traces-off.ts"');
    expect(code.slice(start, code.indexOf('/***/ }', start))).toContain('Error.stackTraceLimit = 0');
    expect(prebuiltBundleStatus(codePath, { stackTraces: true })).toEqual({ kind: 'stale', changed: ['WORKFLOW_STACK_TRACES off → on'] });

    const withTraces = join(dir, 'with-stack-traces.js');
    await writeWorkflowBundle(withTraces, { stackTraces: true });
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(readFileSync(withTraces, 'utf8'))?.[1] ?? '';
    expect(preload).not.toContain('stack-traces-off');
    expect(prebuiltBundleStatus(withTraces, { stackTraces: true })).toEqual({ kind: 'fresh' });
  }, 60_000);

  test('is missing without its manifest', () => {
    const bare = join(dir, 'bare.js');
    writeFileSync(bare, readFileSync(codePath));
    expect(prebuiltBundleStatus(bare)).toEqual({ kind: 'missing' });
  });

  test('WORKFLOW_BUNDLE_PATH is loaded as it is; one that does not exist stops the worker with the path', async () => {
    const lines: string[] = [];
    const logger = createLogger('worker', { write: (line) => lines.push(line) });
    await expect(workerWorkflowBundle(logger, codePath)).resolves.toEqual({ codePath });
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'workflow bundle: prebuilt', path: codePath });
    await expect(workerWorkflowBundle(logger, join(dir, 'nowhere.js'))).rejects.toThrow(`WORKFLOW_BUNDLE_PATH: no workflow bundle at ${join(dir, 'nowhere.js')}`);
  });
});
