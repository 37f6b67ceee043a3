// @ts-check
/** Type-checking is `tsc --noEmit` (npm run typecheck); ts-jest only transpiles, which keeps the suite fast. */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      // Pure code and in-process HTTP servers on port 0 (the emulator); no Temporal server.
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/emulator/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      // One Temporal dev server for the whole run, shared by every integration and replay file.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/replay/**/*.test.ts'],
      slowTestThreshold: 30,
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      transform,
      // The web console in headless Chromium (Debian's package; CHROMIUM_PATH names another) against the real stack.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      slowTestThreshold: 30,
    },
    {
      displayName: 'chaos',
      testEnvironment: 'node',
      transform,
      // `npm run chaos -- --short`: starts its own Temporal server, emulator, worker and API (no globalSetup).
      testMatch: ['<rootDir>/test/chaos/**/*.test.ts'],
      testTimeout: 600_000,
      slowTestThreshold: 300,
    },
  ],
  // Most integration files wait on Temporal timers, emulator delays and outages rather than compute: two files at a
  // time (jest's default on 2 cores is one) keeps the suite near 10 minutes on the project's 2-core machine.
  maxWorkers: 2,
  // Real servers and workers can leave native handles behind (sdk-typescript#928); exit once results are in.
  forceExit: true,
  testTimeout: 60_000,
};
