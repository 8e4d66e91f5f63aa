// Module boundaries (docs/architecture.md), as `no-restricted-imports` options per area: no app
// imports the other (they talk over the link, typed by libs/contracts), libs never import apps, and
// the engine core imports neither Nest nor TypeORM (nor the libs that carry them). One flat-config
// block per area, because a later block replaces the rule's options instead of adding to them.
// libs/testing/src/__tests__/boundaries.spec.ts lints deliberate violations against these blocks.
// The last block keeps repositories inside their modules: the apps get them by injection, never build
// one by hand (a free function over `new XRepository(…)` escapes the module that owns its queries);
// tests that wire services by hand may.

const alias = {
  group: ['../../../*', '**/libs/*/src/*', '**/apps/*/src/*'],
  message: 'Use an @app/* alias instead of a long relative import.',
};
const intoApp = (app) => ({
  regex: `(^|/)(apps/)?${app}/src(/|$)`,
  message: `No app imports another: reach the ${app} app through libs/contracts and the link.`,
});
const intoApps = {
  regex: '(^|/)apps/|(^|/)(gateway|workflow)/src(/|$)',
  message: 'Libs never import apps: move what both need into a lib.',
};
const intoFrameworks = {
  regex: '^(@nestjs/|typeorm(/|$)|@app/(database|common|auth)(/|$))',
  message: 'The engine core is plain TypeScript: no Nest, no TypeORM (nor the libs built on them).',
};

const rule = (...extra) => ({ 'no-restricted-imports': ['error', { patterns: [alias, ...extra] }] });

const builtRepository = {
  selector: 'NewExpression[callee.name=/Repository$/]',
  message:
    "Inject the repository (a provider of its feature's module) instead of building it; pass the caller's EntityManager to run in its transaction.",
};

module.exports = [
  { files: ['**/*.ts'], rules: rule() },
  { files: ['apps/gateway/**/*.ts'], rules: rule(intoApp('workflow')) },
  { files: ['apps/workflow/**/*.ts'], rules: rule(intoApp('gateway')) },
  { files: ['apps/workflow/src/engine/**/*.ts'], rules: rule(intoApp('gateway'), intoFrameworks) },
  { files: ['libs/**/*.ts'], rules: rule(intoApps) },
  {
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: { 'no-restricted-syntax': ['error', builtRepository] },
  },
];
