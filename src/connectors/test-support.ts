/** Test support of the connectors: default mappings with owners, fake CRM APIs on loopback. */
import { readFileSync } from 'node:fs'

import type { ReceivedRequest } from '../notify/test-support.js'
import { startReceiver } from '../notify/test-support.js'
import type { ParsedYaml } from '../policy/yaml-document.js'

export function defaultMappingWithOwners<T extends { readonly owners: Record<string, string> }>(
  path: string,
  parse: (text: string, file: string) => ParsedYaml<T>,
  owners: Readonly<Record<string, string>>,
): T {
  const parsed = parse(readFileSync(path, 'utf8'), path)
  if (!parsed.ok) {
    throw new Error(`the default mapping ${path} is invalid: ${JSON.stringify(parsed.problems)}`)
  }
  return { ...parsed.value, owners: { ...parsed.value.owners, ...owners } }
}

/** An answer a fake CRM API gives: status, JSON body, headers. */
export interface PeerAnswer {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

/** A fake CRM API on 127.0.0.1 holding records of type `T`, recording every request. */
export interface CrmPeer<T> {
  readonly url: string
  readonly requests: ReceivedRequest[]
  readonly records: T[]
  /** The next request gets this answer instead of being handled. */
  answerNext(answer: PeerAnswer): void
  /**
   * The next request with this method is handled, its effect kept, but its connection is cut
   * before the answer: the client cannot tell whether the CRM acted, as when it crashes between
   * the CRM's acceptance and its own commit.
   */
  loseNextAnswerTo(method: string): void
  close(): Promise<void>
}

/**
 * Starts a fake CRM API: a request without `Authorization: Bearer <token>` gets `unauthorized`
 * (401), any other is `handle`d against the records.
 */
export async function startCrmPeer<T>(options: {
  readonly token: string
  readonly unauthorized: unknown
  readonly handle: (request: ReceivedRequest, records: T[]) => PeerAnswer
}): Promise<CrmPeer<T>> {
  const receiver = await startReceiver()
  const records: T[] = []
  const scripted: PeerAnswer[] = []
  let loseNextTo: string | undefined
  receiver.respond((request, response) => {
    const answer: PeerAnswer =
      scripted.shift() ??
      (request.headers.authorization === `Bearer ${options.token}`
        ? options.handle(request, records)
        : { status: 401, body: options.unauthorized })
    if (loseNextTo === request.method) {
      loseNextTo = undefined
      response.socket?.destroy()
      return
    }
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body)
    response
      .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      .end(body)
  })
  return {
    url: receiver.url.replace(/\/$/, ''),
    requests: receiver.requests,
    records,
    answerNext: (answer) => scripted.push(answer),
    loseNextAnswerTo: (method) => {
      loseNextTo = method
    },
    close: () => receiver.close(),
  }
}
