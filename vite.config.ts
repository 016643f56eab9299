/**
 * The dashboard's build (web/ → dist/web), run by `npm run build`: Preact through Vite's own JSX
 * transform, every dependency bundled (no CDN: it works offline), scripts as files only (the
 * server's Content-Security-Policy allows no inline script).
 */
import { fileURLToPath } from 'node:url'

import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('web', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('dist/web', import.meta.url)),
    emptyOutDir: true,
    // Inline nothing: a data: script or style would need a looser CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // The reports' chunk is echarts (~500 kB), loaded only when the reports view opens.
    chunkSizeWarningLimit: 600,
  },
})
