// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.map((name) => name.replace(/^node:/, '')))];

/**
 * Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries, and from
 * src/activities only types (activities are reached through proxyActivities).
 */
const sandboxRule = [
  'error',
  {
    paths: [
      ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code cannot use Node built-ins (Temporal sandbox).' })),
      { name: 'twilio', message: 'Twilio calls belong in src/activities.' },
      { name: 'express', message: 'HTTP serving belongs in src/api.' },
    ],
    patterns: [
      { group: ['node:*'], message: 'Workflow code cannot use Node built-ins (Temporal sandbox).' },
      { group: ['twilio/*', 'express/*'], message: 'I/O libraries belong in src/activities or src/api.' },
      {
        group: ['**/activities', '**/activities/**'],
        allowTypeImports: true,
        message: 'Workflow code may import only types from src/activities; call activities through proxyActivities.',
      },
      { group: ['**/api', '**/api/**'], message: 'Workflow code cannot depend on the API layer.' },
    ],
  },
];

/** The core (src/flow) is pure: the sandbox rule, and no Temporal either (the core knows nothing of what runs it). */
const flowRule = [
  'error',
  {
    ...sandboxRule[1],
    patterns: [
      ...sandboxRule[1].patterns,
      { group: ['@temporalio/*'], message: 'src/flow is the pure core: Temporal belongs in src/workflows.' },
    ],
  },
];

/** Workflow code is the sandbox rule, and nothing of a client's or a worker's side of Temporal. */
const workflowsRule = [
  'error',
  {
    ...sandboxRule[1],
    paths: [
      ...sandboxRule[1].paths,
      { name: '@temporalio/client', message: 'Workflow code cannot use the Temporal client; that is src/services.' },
      { name: '@temporalio/worker', message: 'Workflow code cannot use the Temporal worker; that is src/worker.' },
    ],
  },
];

/** src/ files outside any room: entry points, configuration, logging, telemetry. Workflow code reads none of them. */
const SRC_ROOT_FILES = ['api.ts', 'client.ts', 'config.ts', 'logger.ts', 'project-root.ts', 'telemetry.ts', 'worker.ts'].map((f) => `./src/${f}`);

/**
 * The rooms' one-way arrows (ARCHITECTURE.md): api → services → workflows → flow, worker → activities, workflows.
 * Checked on resolved paths, so no relative spelling slips past; a zone names what its target may NOT import.
 */
const roomZones = [
  { target: './src/flow', from: './src', except: ['./flow'], message: 'src/flow is the pure core: it imports nothing from other src/ folders.' },
  {
    target: './src/workflows',
    from: ['./src/api', './src/services', './src/worker', ...SRC_ROOT_FILES],
    message: 'Workflow code imports only src/flow, its own contracts and activity types; nothing client- or worker-side.',
  },
  { target: './src/services', from: ['./src/api', './src/worker', './src/activities'], message: 'Services are called by the API; they call down into workflow contracts only.' },
  { target: './src/activities', from: ['./src/api', './src/worker'], message: 'Activities are called by the worker; they never import it or the API.' },
  { target: './src/api', from: ['./src/worker', './src/activities'], message: 'The API reaches Temporal through src/services, never the worker or activities.' },
  { target: './src', from: './emulator', message: 'The emulator is for development and tests; src/ never imports it.' },
];

/** Failure types are constants of src/workflows/contracts/failure-types.ts, never literals where a failure is raised. */
const failureTypeRule = [
  'error',
  {
    selector: "CallExpression[callee.object.name='ApplicationFailure'][callee.property.name=/^(nonRetryable|retryable)$/][arguments.1.type='Literal']",
    message: 'Name the failure type with a constant from src/workflows/contracts/failure-types.ts.',
  },
  {
    selector: "CallExpression[callee.object.name='ApplicationFailure'] > ObjectExpression > Property[key.name='type'][value.type='Literal']",
    message: 'Name the failure type with a constant from src/workflows/contracts/failure-types.ts.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.temporal-cli/', '.data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: roomZones }],
      'no-restricted-syntax': failureTypeRule,
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': workflowsRule },
  },
  {
    files: ['src/flow/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': flowRule },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
  },
  {
    // The web console's browser modules (served as they are, no bundler).
    files: ['src/api/console/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'fetch', 'URLSearchParams', 'addEventListener', 'removeEventListener', 'setTimeout', 'clearTimeout', 'console', 'ResizeObserver', 'innerHeight'].map((name) => [name, 'readonly']),
      ),
    },
  },
);
