// Three layers (DESIGN §7): unit = pure code, no I/O; medium = one service against real PostgreSQL;
// e2e = both built apps as real processes, called over HTTP (gateway) and TCP (workflow).
const os = require('node:os');

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      keepClassNames: true,
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];
const libs = ['contracts', 'common', 'database', 'auth', 'observability', 'testing'];
const shared = {
  transform: { '^.+\\.(t|m?j)s$': swc },
  // Nest 12 and bpmn-engine's deps ship ES modules: let swc turn them into CommonJS for jest.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|bpmn-engine|bpmn-elements|smqp|moddle|bpmn-moddle|camunda-bpmn-moddle|min-dash|moddle-xml|saxen|file-type|uid)/)',
  ],
  moduleNameMapper: Object.fromEntries(
    libs.map((lib) => [`^@app/${lib}(|/.*)$`, `<rootDir>/libs/${lib}/src$1`]),
  ),
  testEnvironment: 'node',
  // reflect-metadata for Nest's decorators; async-contexts.cjs turns off earlier files' AsyncLocalStorage.
  setupFiles: ['reflect-metadata', '<rootDir>/libs/testing/setup/async-contexts.cjs'],
};
// Only the layers that need PostgreSQL start it (unit runs stay instant).
const withDatabase = {
  globalSetup: '<rootDir>/libs/testing/setup/global-setup.cjs',
  globalTeardown: '<rootDir>/libs/testing/setup/global-teardown.cjs',
};

// Files run in parallel, each on its own database cloned from the template and its own ports
// (libs/testing). One worker per core (jest's default, cores - 1, runs one file at a time on 2 cores).
// Not more: app boots are CPU-bound, and with 2 × cores on 2 cores the engine's CPU budget (250 ms per
// slice) was exceeded by a unit test under the contention. FLOWDESK_TEST_WORKERS or --maxWorkers overrides.
const maxWorkers = Number(process.env.FLOWDESK_TEST_WORKERS) || Math.min(os.availableParallelism(), 8);

module.exports = {
  testTimeout: 120000,
  maxWorkers,
  // The slowest files and their times after each run (FLOWDESK_TEST_TIMES=<file> keeps them all as JSON).
  reporters: ['default', '<rootDir>/libs/testing/setup/suite-times-reporter.cjs'],
  // Longest files first, from jest's cache or, on a clean clone, the committed times (test-sequencer.cjs).
  testSequencer: '<rootDir>/libs/testing/setup/test-sequencer.cjs',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      ...withDatabase,
      displayName: 'medium',
      testMatch: ['<rootDir>/{apps,libs}/**/*.medium-spec.ts'],
    },
    { ...shared, ...withDatabase, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
