// Three layers (DESIGN §7): unit = pure code, no I/O; medium = one service against real PostgreSQL;
// e2e = both built apps as real processes, called over HTTP (gateway) and TCP (workflow).
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
  setupFiles: ['reflect-metadata'],
};
// Only the layers that need PostgreSQL start it (unit runs stay instant).
const withDatabase = {
  globalSetup: '<rootDir>/libs/testing/setup/global-setup.cjs',
  globalTeardown: '<rootDir>/libs/testing/setup/global-teardown.cjs',
};

module.exports = {
  testTimeout: 120000,
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
