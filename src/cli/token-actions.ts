/** What `leadclock token create | list | revoke` do: through the server holding the store, or on it. */
import type { AccessRole } from '../access/access-roles.js'
import { ACCESS_ROLES } from '../access/access-roles.js'
import type { TokenRequest, TokenView } from '../app/api-tokens.js'
import { COMMAND_LINE, createApiToken, revokeApiToken, tokenView } from '../app/api-tokens.js'
import { instantSchema } from '../domain/instant.js'
import type { Runtime } from '../main.js'
import { accessOf } from '../main.js'
import { durationMs, parseDuration } from '../policy/duration.js'
import type { CliOutput } from './cli-output.js'
import type { HeldServer } from './held-server.js'
import { askServer, heldServer, problemDetail } from './held-server.js'
import type { RuntimeOptions } from './runtime-commands.js'
import { withRuntime } from './runtime-actions.js'
import { textTable } from './text-table.js'
import type { TokenCreateOptions } from './token-commands.js'

/** `never`, an instant, or a wall-clock duration from `now`; a message when it is none of these. */
export function parseExpiry(text: string, now: number): number | null | string {
  if (text === 'never') {
    return null
  }
  const duration = parseDuration(text)
  if (duration !== undefined && !duration.business) {
    return now + durationMs(duration, 0)
  }
  const instant = instantSchema.safeParse(text)
  return instant.success
    ? instant.data
    : `--expires: "${text}" is neither never, an instant (2026-12-31T00:00:00Z) nor a duration ("30 days")`
}

function tokenRequest(options: TokenCreateOptions, now: number): TokenRequest | string {
  if (!(ACCESS_ROLES as readonly string[]).includes(options.role)) {
    return `--role: "${options.role}" is not one of ${ACCESS_ROLES.join(', ')}`
  }
  const expiresAt = parseExpiry(options.expires, now)
  return typeof expiresAt === 'string'
    ? expiresAt
    : {
        role: options.role as AccessRole,
        personId: options.person ?? null,
        expiresAt,
        label: options.label ?? null,
      }
}

function describeToken(token: TokenView): string {
  return `${token.tokenId} (${token.role}${token.personId === null ? '' : ` for ${token.personId}`}, ${token.expiresAt === null ? 'does not expire' : `expires ${token.expiresAt}`})`
}

/** `work` on the store of `options`, its answer returned once the store is closed. */
async function onStore<T>(
  options: RuntimeOptions,
  work: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const answers: T[] = []
  await withRuntime(options, async (runtime) => {
    answers.push(await work(runtime))
  })
  return answers[0] as T
}

function fail(output: CliOutput, message: string): void {
  output.error(message)
  output.exitCode(1)
}

/** The server's JSON answer; a refusal is printed as the problem's detail. */
async function answerOf<T>(
  server: HeldServer,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  const response = await askServer(server, method, path, body)
  return response.ok
    ? { ok: true, value: (await response.json()) as T }
    : { ok: false, message: await problemDetail(response) }
}

export async function createToken(options: TokenCreateOptions, output: CliOutput): Promise<void> {
  const request = tokenRequest(options, Date.now())
  if (typeof request === 'string') {
    fail(output, request)
    return
  }
  const server = await heldServer(options)
  let created: { token: TokenView; secret: string } | string
  if (server === undefined) {
    created = await onStore(options, async (runtime) => {
      const result = await createApiToken(accessOf(runtime), request, runtime.now(), COMMAND_LINE)
      return result.ok ? { token: tokenView(result.token), secret: result.secret } : result.message
    })
  } else {
    const answer = await answerOf<{ token: TokenView; secret: string }>(server, 'POST', '/tokens', {
      role: request.role,
      ...(request.personId === null ? {} : { personId: request.personId }),
      ...(request.expiresAt === null ? {} : { expiresAt: request.expiresAt }),
      ...(request.label === null ? {} : { label: request.label }),
    })
    created = answer.ok ? answer.value : answer.message
  }
  if (typeof created === 'string') {
    fail(output, `cannot create the token: ${created}`)
    return
  }
  output.print(`Created ${describeToken(created.token)}. Its secret, shown this once:`)
  output.print(created.secret)
}

export async function listTokens(options: RuntimeOptions, output: CliOutput): Promise<void> {
  const server = await heldServer(options)
  let tokens: readonly TokenView[]
  if (server === undefined) {
    tokens = await onStore(options, async (runtime) =>
      (await runtime.repository.access.listTokens()).map(tokenView),
    )
  } else {
    const answer = await answerOf<{ tokens: TokenView[] }>(server, 'GET', '/tokens')
    if (!answer.ok) {
      fail(output, answer.message)
      return
    }
    tokens = answer.value.tokens
  }
  const now = Date.now()
  const state = (token: TokenView): string =>
    token.revokedAt !== null
      ? `revoked ${token.revokedAt}`
      : token.expiresAt !== null && Date.parse(token.expiresAt) <= now
        ? 'expired'
        : 'active'
  for (const line of textTable(
    ['Token', 'Role', 'Person', 'Label', 'Created', 'Expires', 'Last used', 'State'],
    tokens.map((token) => [
      token.tokenId,
      token.role,
      token.personId ?? '—',
      token.label ?? '—',
      token.createdAt,
      token.expiresAt ?? 'never',
      token.lastUsedAt ?? '—',
      state(token),
    ]),
  ).split('\n')) {
    output.print(line)
  }
}

export async function revokeToken(
  tokenId: string,
  options: RuntimeOptions,
  output: CliOutput,
): Promise<void> {
  const server = await heldServer(options)
  let revoked: TokenView | string
  if (server === undefined) {
    revoked = await onStore(options, async (runtime) => {
      const token = await revokeApiToken(accessOf(runtime), tokenId, runtime.now(), COMMAND_LINE)
      return token === undefined ? `no token ${tokenId}` : tokenView(token)
    })
  } else {
    const answer = await answerOf<{ token: TokenView }>(
      server,
      'DELETE',
      `/tokens/${encodeURIComponent(tokenId)}`,
    )
    revoked = answer.ok ? answer.value.token : answer.message
  }
  if (typeof revoked === 'string') {
    fail(output, revoked)
    return
  }
  output.print(
    `Revoked ${describeToken(revoked)} at ${revoked.revokedAt ?? ''}; its sessions are ended.`,
  )
}
