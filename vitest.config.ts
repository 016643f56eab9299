import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Opening an embedded PGlite database runs initdb: 7 s alone, 17 s with two in parallel on
    // a 2-core machine, so a beforeAll that opens one needs more than the default 10 s.
    hookTimeout: 60_000,
  },
})
