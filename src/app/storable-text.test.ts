import { describe, expect, it } from 'vitest'

import { unstorableTextProblems } from './storable-text.js'

describe('unstorableTextProblems', () => {
  it('names every value and key holding a NUL or a lone surrogate, in document order', () => {
    const value = JSON.parse(
      '{"leadId":"a\\u0000b","payload":{"profile":{"firstName":"Ann\\ud800","tags":["ok","x\\u0000"]},"bad\\u0000key":1}}',
    ) as unknown
    expect(unstorableTextProblems(value)).toEqual([
      {
        field: 'leadId',
        rule: 'nul-character',
        message: 'the value contains a NUL character (U+0000), which cannot be stored',
      },
      {
        field: 'payload.profile.firstName',
        rule: 'lone-surrogate',
        message:
          'the value contains a lone UTF-16 surrogate (half of a character), which is not text',
      },
      {
        field: 'payload.profile.tags.1',
        rule: 'nul-character',
        message: 'the value contains a NUL character (U+0000), which cannot be stored',
      },
      {
        field: 'payload.bad\\u0000key',
        rule: 'nul-character',
        message: 'the field name contains a NUL character (U+0000), which cannot be stored',
      },
    ])
  })

  it('accepts text with surrogate pairs, other control characters and deep nesting', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}"😀 tab\\t"${']'.repeat(20_000)}`) as unknown
    expect(unstorableTextProblems(deep)).toEqual([])
    expect(unstorableTextProblems({ name: 'Zoë 😀', n: 1, ok: true, none: null })).toEqual([])
  })
})
