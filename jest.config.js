// Tests run as native ES modules (node --experimental-vm-modules), transpiled by swc.
// globalSetup resolves the broker and MongoDB once per run (see packages/testing).
//
// Two suites: the default one runs test files in parallel, each isolated by unique names;
// TEST_SUITE=faults runs `*.fault.test.ts`, which restart or cut the shared broker and
// kill processes, so they run one at a time (`--runInBand`) after everything else.
const faults = process.env.TEST_SUITE === 'faults';
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: [`<rootDir>/{packages,services,test}/**/*.${faults ? 'fault.' : ''}test.ts`],
  // The web app's own tests run in Vitest (npm run test:web).
  testPathIgnorePatterns: [
    '/node_modules/',
    '/target/',
    '<rootDir>/services/web/',
    ...(faults ? [] : ['\\.fault\\.test\\.ts$']),
  ],
  globalSetup: '<rootDir>/jest/global-setup.ts',
  globalTeardown: '<rootDir>/jest/global-teardown.ts',
  testTimeout: faults ? 180_000 : 60_000,
  // Jest's default (cores - 1) is one worker on this 2-core machine, but the test files mostly
  // wait on the broker, the store and child processes: three at once took the main suite from
  // 8.3 to 5.5 minutes here. The fault suite stays one at a time (--runInBand).
  maxWorkers: faults ? 1 : 3,
};
