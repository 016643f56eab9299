import { afterEach, describe, expect, it } from 'vitest'
import { parseRetryAfterMs, sendWithTimeout } from './http-post.js'
import { formatElapsed } from './render-common.js'
import { startReceiver, type LoopbackReceiver } from './test-support.js'

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-03-03T17:00:00Z')
  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000)
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0)
    expect(parseRetryAfterMs('Tue, 03 Mar 2026 17:01:30 GMT', now)).toBe(90_000)
    expect(parseRetryAfterMs('Tue, 03 Mar 2026 16:00:00 GMT', now)).toBe(0)
  })
  it('ignores what is absent or unreadable', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined()
    expect(parseRetryAfterMs('soon', now)).toBeUndefined()
    expect(parseRetryAfterMs('-5', now)).toBeUndefined()
  })
})

describe('formatElapsed', () => {
  it('shows hours and zero-padded whole minutes', () => {
    expect(formatElapsed(0)).toBe('0h 00m')
    expect(formatElapsed(59_999)).toBe('0h 00m')
    expect(formatElapsed(7_559_000)).toBe('2h 05m')
    expect(formatElapsed(26 * 3_600_000 + 59 * 60_000)).toBe('26h 59m')
  })
})

describe('sendWithTimeout', () => {
  let receiver: LoopbackReceiver | undefined
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
  })

  it('keeps only the start of a large error body', async () => {
    receiver = await startReceiver()
    receiver.respond((_request, response) => response.writeHead(500).end('x'.repeat(100_000)))
    const answer = await sendWithTimeout(
      fetch,
      { method: 'POST', url: receiver.url, headers: {}, body: '{}' },
      5_000,
    )
    expect(answer).toMatchObject({ kind: 'response', status: 500 })
    expect(answer.kind === 'response' && answer.bodyStart).toBe('x'.repeat(512))
  })
})
