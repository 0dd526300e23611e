// Tests run as native ES modules (node --experimental-vm-modules), transpiled by swc.
// globalSetup resolves the broker and MongoDB once per run (see packages/testing).
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/{packages,services,test}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/target/'],
  globalSetup: '<rootDir>/jest/global-setup.ts',
  globalTeardown: '<rootDir>/jest/global-teardown.ts',
  testTimeout: 60_000,
};
