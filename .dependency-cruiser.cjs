/**
 * The dependency rule of Leadclock, checked by `npm run deps` (part of `npm test`).
 *
 * Functional core, imperative shell: the shell (app, store, http, cli, scheduler, notify, sample,
 * main) depends on the core (domain, calendar, policy, routing), never the other way round.
 * Inside the core, routing depends on the domain (the roster is domain data: src/domain/team).
 * Reports are pure calculations over the core's data. Production code never reaches for test code.
 *
 * Test files and test support may import across modules (fixtures, the default roster), so the
 * layering rules apply to production code; the cycle rules apply everywhere.
 */

/** Tests and their helpers; they may import anything. */
const TEST_CODE = '(\\.test\\.ts$|/test-support\\.ts$|^test/|^bench/)'

/** Pure and deterministic: no I/O, no wall clock (eslint forbids `Date.now()` there). */
const CORE = '^src/(domain|calendar|policy|routing)/'
const REPORTS = '^src/reports/'
const SHELL =
  '^src/(app|store|http|cli|scheduler|notify|sample|connectors)/|^src/(main|runtime-folders)\\.ts$'
const ENTRY_POINTS = '^src/cli/|^src/main\\.ts$'

/**
 * The core's one door to the file system: it reads the policy file for the shell and sits beside
 * the parser it feeds. The shell imports it; nothing in the core does.
 */
const POLICY_FILE_READER = '^src/policy/load-policy-file\\.ts$'

/** Libraries that do I/O (databases, HTTP, mail, terminal). Node's own modules are forbidden too. */
const IO_LIBRARIES =
  '^node_modules/(pg|pg-[^/]+|@electric-sql/[^/]+|kysely|kysely-pglite-dialect|fastify|@fastify/[^/]+|fastify-[^/]+|nodemailer|commander|cli-progress)/'

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No cycle between modules (folders of src, bench, test), not even through a type: a ' +
        'cycle ties the modules together, so neither can change, load or be tested alone.',
      from: { path: '^(src/[^/]+|bench|test)/' },
      to: { circular: true, via: { pathNot: '^$1/' } },
    },
    {
      name: 'no-circular-at-runtime',
      severity: 'error',
      comment:
        'Inside a module, files may share types both ways (erased when compiled), but no cycle ' +
        'of runtime imports: its load order decides which side sees undefined. Known exception ' +
        'until the lead engine is split: lead-engine.ts ↔ tasks.ts (addWallDuration).',
      from: { path: '^(src|bench|test)/' },
      to: {
        circular: true,
        viaOnly: { dependencyTypesNot: ['type-only'] },
        via: { pathNot: '^src/domain/(lead-engine|tasks)\\.ts$' },
      },
    },
    {
      name: 'core-not-to-shell',
      severity: 'error',
      comment:
        'The core (domain, calendar, policy, routing) knows nothing of use cases, storage, ' +
        'delivery or reports: the shell passes it data and acts on what it returns.',
      from: { path: CORE, pathNot: TEST_CODE },
      to: { path: `${SHELL}|${REPORTS}` },
    },
    {
      name: 'calendar-is-the-base',
      severity: 'error',
      comment: 'Business time stands alone: policy, domain and routing build on it.',
      from: { path: '^src/calendar/', pathNot: TEST_CODE },
      to: { path: '^src/(domain|policy|routing)/' },
    },
    {
      name: 'policy-not-to-domain',
      severity: 'error',
      comment: 'The policy is configuration the domain reads; it knows no lead.',
      from: { path: '^src/policy/', pathNot: TEST_CODE },
      to: { path: '^src/(domain|routing)/' },
    },
    {
      name: 'domain-not-to-routing',
      severity: 'error',
      comment:
        'Routing decides owners from the domain’s leads and roster (src/domain/team); the ' +
        'domain does not route.',
      from: { path: '^src/domain/', pathNot: TEST_CODE },
      to: { path: '^src/routing/' },
    },
    {
      name: 'reports-not-to-shell',
      severity: 'error',
      comment: 'Reports are pure calculations over core data; the app layer feeds them.',
      from: { path: REPORTS, pathNot: TEST_CODE },
      to: { path: SHELL },
    },
    {
      name: 'pure-code-does-no-io',
      severity: 'error',
      comment:
        'The core and the reports do no I/O: no Node built-ins (fs, http, net, child_process…), ' +
        'no database, HTTP or mail library. The policy file reader is the one exception, see ' +
        'POLICY_FILE_READER.',
      from: { path: `${CORE}|${REPORTS}`, pathNot: `${TEST_CODE}|${POLICY_FILE_READER}` },
      to: { path: IO_LIBRARIES },
    },
    {
      name: 'pure-code-no-node-builtins',
      severity: 'error',
      comment: 'Node built-ins are I/O or process state; the core and the reports take values.',
      from: { path: `${CORE}|${REPORTS}`, pathNot: `${TEST_CODE}|${POLICY_FILE_READER}` },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-code-not-to-policy-file-reader',
      severity: 'error',
      comment: 'Reading the policy file is the shell’s job; the core takes the parsed Policy.',
      from: { path: `${CORE}|${REPORTS}`, pathNot: `${TEST_CODE}|${POLICY_FILE_READER}` },
      to: { path: POLICY_FILE_READER },
    },
    {
      name: 'app-not-to-adapters',
      severity: 'error',
      comment:
        'Use cases talk to ports (src/app/*-port.ts, lead-repository.ts); the store, the HTTP ' +
        'API, the CLI and the scheduler plug into them, not the other way round.',
      from: { path: '^src/app/', pathNot: TEST_CODE },
      to: { path: `^src/(store|http|scheduler)/|${ENTRY_POINTS}` },
    },
    {
      name: 'adapters-not-to-each-other',
      severity: 'error',
      comment:
        'The store, the HTTP API, the scheduler and the notification channels meet in the app ' +
        'layer and the wiring (src/main.ts, src/cli), not directly.',
      from: { path: '^src/(store|http|scheduler|notify)/', pathNot: TEST_CODE },
      to: { path: `^src/(store|http|scheduler)/|${ENTRY_POINTS}`, pathNot: '^src/$1/' },
    },
    {
      name: 'production-not-to-test-code',
      severity: 'error',
      comment: 'Test files and test support are not shipped; production code must not need them.',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|dist-bench|coverage|node_modules)/' },
    // Type-only imports are dependencies too: a type from the shell in the core is a cycle waiting.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
