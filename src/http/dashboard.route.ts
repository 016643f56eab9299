/**
 * The dashboard (web/, built by `npm run build` into dist/web): its page at `/` and its hashed
 * bundles under `/assets/`, public like /docs — the page signs in with POST /auth/session and
 * reads the API with the session. Only these two routes: any other unknown URL still needs a
 * caller, then answers 404.
 */
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** The bundles' names carry their content hash: a browser may keep them for a year. */
const ASSET_CACHE = { maxAge: '365d', immutable: true }

export async function registerDashboardRoutes(
  app: FastifyInstance,
  webRoot: string,
): Promise<void> {
  await app.register(fastifyStatic, { root: webRoot, serve: false })
  app.get(
    '/',
    { config: { access: 'public' }, schema: { hide: true } },
    // The page names the current bundles: always asked again.
    (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false }),
  )
  app.get<{ Params: { '*': string } }>(
    '/assets/*',
    { config: { access: 'public' }, schema: { hide: true } },
    (request, reply) => reply.sendFile(`assets/${request.params['*']}`, ASSET_CACHE),
  )
}
