// @ts-check
/** `npm run history:rerecord`: the recording scenarios, against the same kind of dev server as the integration tests. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testMatch: ['<rootDir>/test/replay/recording/*.recording.ts'],
  forceExit: true,
  testTimeout: 60_000,
};
