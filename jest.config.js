// One jest config, three projects: fast unit tests, workflow tests on the time-skipping test
// server, and end-to-end tests over HTTP against the real Temporal dev server and Postgres.
// Type checking is done once by `tsc` (npm test runs it), so ts-jest only transpiles here.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
};
const moduleNameMapper = {
  '^@tdkt/(domain|contracts|persistence)$': '<rootDir>/libs/$1/src/index.ts',
};
const common = { rootDir: __dirname, testEnvironment: 'node', transform, moduleNameMapper };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,infra}/**/*.spec.ts'] },
    { ...common, displayName: 'workflows', testMatch: ['<rootDir>/workflows/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
