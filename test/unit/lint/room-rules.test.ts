import { lintProbes, type Probe } from '../../helpers/eslint-probes';

/** A probe that breaks one of the rooms' rules, and the rule that must say so. */
interface BadProbe extends Probe {
  readonly rule: string;
}

const restrictedImport = '@typescript-eslint/no-restricted-imports';
const restrictedPath = 'import-x/no-restricted-paths';

const value = (spec: string, name: string) => `import { ${name} } from '${spec}';\nexport const f = ${name};\n`;

const forbidden: BadProbe[] = [
  // src/flow: the pure core.
  { rule: restrictedImport, file: 'src/flow/probe.ts', code: value('@temporalio/workflow', 'proxyActivities') },
  { rule: restrictedImport, file: 'src/flow/widgets/probe.ts', code: value('@temporalio/common', 'ApplicationFailure') },
  { rule: restrictedPath, file: 'src/flow/probe.ts', code: value('../workflows/serial-queue', 'SerialQueue') },
  { rule: restrictedPath, file: 'src/flow/widgets/probe.ts', code: value('../../config', 'loadConfig') },
  // src/workflows: nothing client- or worker-side.
  { rule: restrictedImport, file: 'src/workflows/probe.ts', code: value('@temporalio/client', 'Client') },
  { rule: restrictedImport, file: 'src/workflows/execution/probe.ts', code: value('@temporalio/worker', 'Worker') },
  { rule: restrictedPath, file: 'src/workflows/execution/probe.ts', code: value('../../services/flow-store', 'FlowStore') },
  { rule: restrictedPath, file: 'src/workflows/contracts/probe.ts', code: value('../../worker/workflow-bundle', 'WORKFLOWS_PATH') },
  { rule: restrictedPath, file: 'src/workflows/probe.ts', code: value('../api/errors', 'ApiError') },
  // The arrows run one way: api → services → workflows → flow; worker → activities, workflows.
  { rule: restrictedPath, file: 'src/services/probe.ts', code: value('../api/errors', 'ApiError') },
  { rule: restrictedPath, file: 'src/services/probe.ts', code: value('../activities', 'createActivities') },
  { rule: restrictedPath, file: 'src/api/probe.ts', code: value('../worker/studio-worker', 'createStudioWorker') },
  { rule: restrictedPath, file: 'src/activities/probe.ts', code: value('../api/errors', 'ApiError') },
  { rule: restrictedPath, file: 'src/api/probe.ts', code: value('../../emulator/emulator', 'createEmulator') },
  // No cycle: interpreter.ts imports context.ts, so a context.ts that imports the interpreter closes a loop.
  { rule: 'import-x/no-cycle', file: 'src/flow/context.ts', code: value('./interpreter', 'startExecution') },
];

const allowed: Probe[] = [
  { file: 'src/flow/widgets/probe.ts', code: value('../context', 'applyChanges') },
  { file: 'src/workflows/probe.ts', code: value('../flow/context', 'applyChanges') },
  { file: 'src/workflows/execution/probe.ts', code: value('../contracts/search-attributes', 'studioFlowSidKey') },
  { file: 'src/services/probe.ts', code: value('../workflows/contracts/execution-messages', 'incomingMessageSignal') },
  { file: 'src/api/probe.ts', code: value('../services/flow-store', 'FlowStore') },
  { file: 'src/worker/probe.ts', code: value('../activities', 'createActivities') },
];

describe('the rooms lint rules (ARCHITECTURE.md)', () => {
  let results: string[][];
  beforeAll(() => {
    results = lintProbes([...forbidden, ...allowed]);
  }, 60_000);

  test.each(forbidden.map((probe, i) => [probe.file, probe.code.split('\n')[0], probe.rule, i] as const))(
    'when %s has `%s`, then %s reports it',
    (_file, _line, rule, i) => {
      expect(results[i]?.some((m) => m.startsWith(`${rule}: `))).toBe(true);
    },
  );

  test.each(allowed.map((probe, i) => [probe.file, probe.code.split('\n')[0], forbidden.length + i] as const))(
    'when %s has `%s`, then lint accepts it',
    (_file, _line, i) => {
      expect(results[i]).toEqual([]);
    },
  );
});
