/**
 * `leadclock token create | list | revoke`: API tokens. While a server holds the embedded store
 * they go through its API with this machine's CLI token; otherwise to the store directly (whoever
 * may open the store may manage its tokens). Registering them loads nothing heavy.
 */
import type { Command } from 'commander'

import type { CliOutput } from './cli-output.js'
import type { RuntimeOptions } from './runtime-commands.js'
import { withRuntimeOptions } from './runtime-commands.js'

export interface TokenCreateOptions extends RuntimeOptions {
  readonly role: string
  readonly person?: string
  readonly expires: string
  readonly label?: string
}

const actions = () => import('./token-actions.js')

export function registerTokenCommands(program: Command, output: CliOutput): void {
  const token = program
    .command('token')
    .description('create, list and revoke API tokens (README "Who may do what")')

  withRuntimeOptions(
    token
      .command('create')
      .requiredOption(
        '--role <role>',
        'what the token may do: rep, manager, revops, leadership, admin or integration',
      )
      .option(
        '--person <id>',
        'the roster person it acts for (required for rep, manager, revops and leadership)',
      )
      .option(
        '--expires <when>',
        'an instant (2026-12-31T00:00:00Z), a duration from now ("30 days", "12 hours") or never',
        '90 days',
      )
      .option('--label <text>', 'what the token is for, e.g. "HubSpot connector"')
      .description('create a token and print its secret, once'),
  ).action(async (options: TokenCreateOptions) => (await actions()).createToken(options, output))

  withRuntimeOptions(
    token
      .command('list')
      .description('list tokens: role, person, expiry, last use (never secrets)'),
  ).action(async (options: RuntimeOptions) => (await actions()).listTokens(options, output))

  withRuntimeOptions(
    token
      .command('revoke')
      .argument('<tokenId>', 'the token id (tok_…), as token list shows it')
      .description('revoke a token at once; its dashboard sessions end with it'),
  ).action(async (tokenId: string, options: RuntimeOptions) =>
    (await actions()).revokeToken(tokenId, options, output),
  )
}
