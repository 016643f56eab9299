/**
 * The main job. Until the lifecycle engine lands, it validates the default policy and prints its
 * SLA table; the engine issue replaces this with the service on PGlite with sample data.
 */
import { processOutput } from './cli/cli-output.js'
import { createProgram } from './cli/program.js'

await createProgram(processOutput).parseAsync(['node', 'leadclock', 'policy', 'show'])
