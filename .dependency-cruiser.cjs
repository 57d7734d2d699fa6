// The module boundaries of the Layout in CONVENTIONS.md, checked by `npm run boundaries` (part of
// `npm test`); tests/unit/boundaries.test.ts shows each rule failing on a deliberate violation.
//
// A rule may need several entries (an exception, a narrower severity); its entries share one name,
// and dependency-cruiser prints the comment of a name's first entry with every violation of it, so
// that comment states the whole rule and what to do instead.

/** The adapter folders: each talks to one outside system for core/, or is shared plumbing. */
const ADAPTERS = 'auth0|aws|llm|store|slack|http|jobs|resilience|metrics';

const ADAPTERS_COMMENT =
  'Adapters never import each other: move the shared type to a port in core/, or let wiring/ ' +
  'connect the two. Allowed: any adapter uses src/resilience/ (the policies it runs its calls ' +
  'behind); metrics/ names the SlackMetrics interface of src/slack/app.ts (type-only).';

const WIRING_COMMENT =
  'wiring/ is the composition root: only src/wiring/, src/app.ts and src/main.ts import it, and ' +
  'src/app.ts imports only src/wiring/ (plus types from src/config.ts and src/logger.ts). ' +
  'Take what you need as a parameter and let wiring/ build it.';

const TESTS_COMMENT =
  'Nothing outside tests/ imports tests/: fakes shared with sandbox/ and bench/ live in ' +
  'packages/fakes/ (with their own README).';

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const forbidden = [
  {
    name: 'core-imports-only-core',
    comment:
      'core/ is the domain: it imports only core/, src/errors.ts, zod and node built-ins (no SDK, ' +
      'no other folder of ours). Name a port in core/ and implement it in an adapter.',
    severity: 'error',
    from: { path: '^src/core/' },
    to: {
      pathNot: ['^src/core/', '^src/errors[.]ts$', '(^|/)node_modules/zod/'],
      dependencyTypesNot: ['core'],
    },
  },
  {
    name: 'slack-not-store',
    comment:
      'slack/ translates Slack to use cases and never touches the database: call a use case in ' +
      'core/ that goes through a port; wiring/ hands it the store.',
    severity: 'error',
    from: { path: '^src/slack/' },
    to: { path: '^src/store/' },
  },
  {
    name: 'adapters-not-each-other',
    comment: ADAPTERS_COMMENT,
    severity: 'error',
    // metrics/ and resilience/index.ts have entries of their own below.
    from: { path: `^src/(${ADAPTERS})/`, pathNot: ['^src/metrics/', '^src/resilience/index[.]ts$'] },
    to: {
      path: `^src/(${ADAPTERS})/`,
      pathNot: [
        // Within its own folder, anything goes.
        '^src/$1/',
        // Shared infrastructure: an adapter is handed the policy it runs its calls behind and names
        // its type (aws/, llm/ and slack/chat-gateway.ts do).
        '^src/resilience/',
      ],
    },
  },
  {
    // metrics/ is the prom-client adapter: it implements the recording interface each part declares
    // for itself (StepMetrics in core/steps/, ResilienceMetrics in resilience/, SlackMetrics in
    // slack/app.ts), so it names that interface. Into slack/ that is a type-only import, no code.
    name: 'adapters-not-each-other',
    comment: ADAPTERS_COMMENT,
    severity: 'error',
    from: { path: '^src/metrics/' },
    to: {
      path: `^src/(${ADAPTERS})/`,
      pathNot: ['^src/metrics/', '^src/resilience/', '^src/slack/app[.]ts$'],
    },
  },
  {
    name: 'adapters-not-each-other',
    comment: ADAPTERS_COMMENT,
    severity: 'error',
    from: { path: '^src/metrics/' },
    to: { path: '^src/slack/app[.]ts$', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'adapters-not-each-other',
    comment: ADAPTERS_COMMENT,
    severity: 'error',
    from: { path: '^src/resilience/index[.]ts$' },
    to: {
      path: `^src/(${ADAPTERS})/`,
      pathNot: ['^src/resilience/', '^src/metrics/resilience-metrics[.]ts$'],
    },
  },
  {
    // Tests, bench/ and sandbox/ are harnesses: they may build a part the way wiring/ does.
    name: 'only-wiring-knows-all',
    comment: WIRING_COMMENT,
    severity: 'error',
    from: { path: '^src/', pathNot: ['^src/wiring/', '^src/app[.]ts$', '^src/main[.]ts$'] },
    to: { path: '^src/wiring/' },
  },
  {
    // app.ts orders the start and stop of what wiring/ built; it builds nothing itself.
    name: 'only-wiring-knows-all',
    comment: WIRING_COMMENT,
    severity: 'error',
    from: { path: '^src/app[.]ts$' },
    to: { pathNot: ['^src/wiring/', '^src/(config|logger)[.]ts$'] },
  },
  {
    name: 'only-wiring-knows-all',
    comment: WIRING_COMMENT,
    severity: 'error',
    from: { path: '^src/app[.]ts$' },
    to: { path: '^src/(config|logger)[.]ts$', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'no-tests-outside-tests',
    comment: TESTS_COMMENT,
    severity: 'error',
    from: { pathNot: ['^tests/'] },
    to: { path: '^tests/' },
  },
  {
    name: 'no-circular-in-core',
    comment:
      'A cycle between core/ modules: move what both need into the model.ts or ports.ts they both import.',
    severity: 'error',
    from: { path: '^src/core/' },
    to: { path: '^src/core/', circular: true },
  },
  {
    // Otherwise an import that resolves to nothing would slip past every path rule above.
    name: 'not-to-unresolvable',
    comment: 'An import that resolves to no file: a typo, or a package missing from package.json.',
    severity: 'error',
    from: {},
    to: { couldNotResolve: true },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: naming another part's type couples to it as much as calling it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
