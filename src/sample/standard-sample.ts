/**
 * The sample `leadclock start` loads into an empty store and `leadclock sample` writes; a module
 * of its own so that the CLI can describe it without loading the generator.
 */
export const STANDARD_SAMPLE = { seed: 20_261_125, leads: 2000, days: 90 } as const
