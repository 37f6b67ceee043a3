// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
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
    files: ['src/flow/**/*.ts', 'src/workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': sandboxRule },
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
