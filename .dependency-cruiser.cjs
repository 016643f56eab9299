/**
 * The dependency rule of Leadclock, checked by `npm run deps` (part of `npm test`).
 *
 * Functional core, imperative shell: the shell depends on the core, never the other way round.
 * The modules (folders of src) form layers; a module imports its own files and lower layers
 * only, so no two modules can depend on each other. Test files and test support may import
 * across modules (fixtures, the default roster): the layering applies to production code, the
 * cycle rules to everything.
 */

/** Tests, their helpers and the benchmarks; they may import anything. */
const TEST_CODE = '(\\.test\\.ts$|/test-support\\.ts$|^test/|^bench/)'

/** Lowest first. A name is a folder of src or a file of src without `.ts` (main). */
const LAYERS = [
  // The functional core: pure and deterministic (eslint forbids `Date.now()` there too).
  { modules: ['calendar'], why: 'business time stands alone' },
  { modules: ['policy'], why: 'the policy is configuration the domain reads; it knows no lead' },
  { modules: ['domain'], why: 'leads, clocks, escalations and the team (the roster)' },
  { modules: ['routing'], why: 'routing decides owners from the domain’s leads and roster' },
  { modules: ['reports'], why: 'reports are pure calculations over the core’s data' },
  {
    modules: ['access'],
    why: 'who may do what: roles the policy grants, lead scopes from the roster’s manager chain',
  },
  // The shell.
  {
    modules: ['notify', 'sample', 'runtime-folders'],
    why: 'notification channels, sample data and data folders serve the layers above',
  },
  { modules: ['app'], why: 'use cases talk to ports; the adapters plug into them' },
  {
    modules: ['store', 'http', 'scheduler', 'connectors'],
    why: 'adapters meet in the app layer and in the wiring, not directly',
  },
  { modules: ['main'], why: 'the wiring of a running server' },
  { modules: ['cli'], why: 'the command line, on top of everything' },
]

const modulePath = (names) => `^src/(${names.join('|')})(/|\\.ts$)`

/** One rule per layer: its modules import neither their peers nor any module above them. */
const layerRules = LAYERS.map((layer, index) => {
  const lower = LAYERS.slice(0, index).flatMap((below) => below.modules)
  return {
    name: `layer-${layer.modules.join('-')}`,
    severity: 'error',
    comment: `${layer.modules.join(', ')} may import only ${lower.join(', ') || 'no other module'}: ${layer.why}.`,
    from: { path: modulePath(layer.modules), pathNot: TEST_CODE },
    to: {
      path: modulePath(LAYERS.slice(index).flatMap((same) => same.modules)),
      pathNot: '^src/$1(/|\\.ts$)',
    },
  }
})

/** The core, the reports and the access rules: no I/O. */
const PURE_CODE = modulePath(['calendar', 'policy', 'domain', 'routing', 'reports', 'access'])

/**
 * The core's one door to the file system: it reads the policy file for the shell and sits beside
 * the parser it feeds. The shell imports it; nothing in the core does.
 */
const POLICY_FILE_READER = '^src/policy/load-policy-file\\.ts$'

/** Libraries that do I/O: databases, HTTP, mail, the terminal. */
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
        'of runtime imports: its load order decides which side sees undefined.',
      from: { path: '^(src|bench|test)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...layerRules,
    {
      name: 'pure-code-no-io-libraries',
      severity: 'error',
      comment: 'The core and the reports take values and return values; the shell does the I/O.',
      from: { path: PURE_CODE, pathNot: `${TEST_CODE}|${POLICY_FILE_READER}` },
      to: { path: IO_LIBRARIES },
    },
    {
      name: 'pure-code-no-node-builtins',
      severity: 'error',
      comment:
        'Node built-ins (fs, http, net, child_process, process state…) are the shell’s; the ' +
        'policy file reader is the one exception (POLICY_FILE_READER).',
      from: { path: PURE_CODE, pathNot: `${TEST_CODE}|${POLICY_FILE_READER}` },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-code-not-to-policy-file-reader',
      severity: 'error',
      comment: 'Reading the policy file is the shell’s job; the core takes the parsed Policy.',
      from: { path: PURE_CODE, pathNot: `${TEST_CODE}|${POLICY_FILE_READER}` },
      to: { path: POLICY_FILE_READER },
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
    exclude: { path: '^(dist|dist-bench|coverage)/' },
    // Type-only imports are dependencies too: a shell type in the core ties the core to the shell.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
}
