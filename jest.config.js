// Tests run as native ES modules (node --experimental-vm-modules), transpiled by swc.
// globalSetup resolves the broker and MongoDB once per run (see packages/testing).
//
// Three suites (`npm test` runs the broker-fault one beside the static checks, then the other two):
// - the default one: `*.test.ts` in parallel, each file isolated by unique names;
// - TEST_SUITE=faults: `*.fault.test.ts`, which SIGKILL and restart our own processes. They
//   disturb nothing outside their own files, so two run at once: most of their time is spent
//   waiting out leases and restarts.
// - TEST_SUITE=broker-faults: `*.broker-fault.test.ts`, which stop, cut or reconfigure the
//   shared broker itself, so they run one at a time (`--runInBand`) with no other jest run.
const suite = process.env.TEST_SUITE ?? 'main';
const FILE_ENDINGS = { main: 'test.ts', faults: 'fault.test.ts', 'broker-faults': 'broker-fault.test.ts' };
const ending = FILE_ENDINGS[suite];
if (!ending) throw new Error(`TEST_SUITE=${suite}: expected one of ${Object.keys(FILE_ENDINGS).join(', ')}`);
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: [`<rootDir>/{packages,services,test}/**/*.${ending}`],
  // The web app's own tests run in Vitest (npm run test:web).
  testPathIgnorePatterns: [
    '/node_modules/',
    '/target/',
    '<rootDir>/services/web/',
    ...(suite === 'main' ? ['\\.fault\\.test\\.ts$', '\\.broker-fault\\.test\\.ts$'] : []),
  ],
  globalSetup: '<rootDir>/jest/global-setup.ts',
  globalTeardown: '<rootDir>/jest/global-teardown.ts',
  testTimeout: suite === 'main' ? 60_000 : 180_000,
  // Jest's default (cores - 1) is one worker on this 2-core machine, but the test files mostly
  // wait on the broker, the store and child processes: three at once took the main suite from
  // 8.3 to 5.5 minutes here.
  maxWorkers: { main: 3, faults: 2, 'broker-faults': 1 }[suite],
};
