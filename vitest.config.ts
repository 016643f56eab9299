import { availableParallelism } from 'node:os'

import { defineConfig } from 'vitest/config'

import LongestFirstSequencer from './test/longest-first-sequencer.js'

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 30_000,
    // One file per core, not cores − 1: the slow suites mostly wait on worker processes and on
    // the PostgreSQL server.
    maxWorkers: availableParallelism(),
    // Opening an embedded PGlite folder, or initdb in a child process, takes seconds on a busy
    // 2-core machine: a beforeAll that opens one needs more than the default 10 s.
    hookTimeout: 60_000,
    // Servers that suites start (in process or as `leadclock serve` children) log only problems.
    env: { LEADCLOCK_LOG_LEVEL: 'warn' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          // Unit files share no state through modules (no mocks, no stubbed globals), so one
          // worker imports the policy, zod schemas and calendars once instead of once per file:
          // three quarters of the unit project's CPU time went to those imports.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          // The store, process and browser suites (test/browser: the dashboard in headless Chromium).
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // Migrated templates, made once per run and only when integration suites run.
          globalSetup: ['test/global-setup.ts'],
          // Integration files share no module state either (each opens its own databases, servers
          // and child processes): one worker imports fastify, the store and the policy once for
          // all of them instead of once per file.
          isolate: false,
        },
      },
    ],
  },
})
