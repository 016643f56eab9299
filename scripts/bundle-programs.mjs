/**
 * Bundles Leadclock's programs (the CLI, and the test suites' child programs) to plain JavaScript
 * with esbuild: one file per program, shared modules in chunks, modules a program imports lazily
 * kept lazy, packages left as imports. Type checking is `npm run typecheck`'s job, not the build's:
 * esbuild builds the tree in about a second where `tsc` took half a minute.
 */
import process from 'node:process'

import { build } from 'esbuild'

/**
 * @param {{ entryPoints: string[], outdir: string }} options
 *   The output folder must sit inside the repository, so that packages resolve from its
 *   node_modules and the policy files are found above the running module.
 */
export async function bundlePrograms({ entryPoints, outdir }) {
  await build({
    entryPoints,
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    // The running Node: an older target drops import attributes (`with { type: 'json' }`).
    target: `node${process.versions.node}`,
    sourcemap: true,
    logLevel: 'warning',
  })
}
