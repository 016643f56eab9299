/** `npm run build`: the CLI bundled into dist/src/cli (the path `bin` and the README name). */
import { rm } from 'node:fs/promises'

import { bundlePrograms } from './bundle-programs.mjs'

await rm('dist/src', { recursive: true, force: true })
await bundlePrograms({ entryPoints: ['src/cli/leadclock.ts'], outdir: 'dist/src/cli' })
