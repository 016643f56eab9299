import { describe, expect, it } from 'vitest'

import { MAX_NESTING_DEPTH, unstorableJsonProblems } from './storable-text.js'

describe('unstorableJsonProblems', () => {
  it('names every value and key holding a NUL or a lone surrogate, in document order', () => {
    const value = JSON.parse(
      '{"leadId":"a\\u0000b","payload":{"profile":{"firstName":"Ann\\ud800","tags":["ok","x\\u0000"]},"bad\\u0000key":1}}',
    ) as unknown
    expect(unstorableJsonProblems(value)).toEqual([
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

  it('names the fields under the part of a request given', () => {
    expect(unstorableJsonProblems({ owner: ['ok', '\ud800'] }, 'querystring')).toEqual([
      {
        field: 'querystring.owner.1',
        rule: 'lone-surrogate',
        message:
          'the value contains a lone UTF-16 surrogate (half of a character), which is not text',
      },
    ])
  })

  it('accepts text with surrogate pairs, other control characters and 32 levels of nesting', () => {
    const deepest = JSON.parse(
      `${'['.repeat(MAX_NESTING_DEPTH)}"😀 tab\\t"${']'.repeat(MAX_NESTING_DEPTH)}`,
    ) as unknown
    expect(unstorableJsonProblems(deepest)).toEqual([])
    expect(unstorableJsonProblems({ name: 'Zoë 😀', n: 1, ok: true, none: null })).toEqual([])
  })

  it('refuses the first object or array nested deeper than 32 levels, and nothing below it', () => {
    const hostile = JSON.parse(
      `{"roster":${'['.repeat(20_000)}"\\u0000"${']'.repeat(20_000)},"people":[{"id":"a\\u0000"}]}`,
    ) as unknown
    expect(unstorableJsonProblems(hostile, 'body')).toEqual([
      {
        field: `body.roster${'.0'.repeat(MAX_NESTING_DEPTH - 1)}`,
        rule: 'max-depth',
        message: 'objects and arrays are nested more than 32 levels deep here',
      },
      {
        field: 'body.people.0.id',
        rule: 'nul-character',
        message: 'the value contains a NUL character (U+0000), which cannot be stored',
      },
    ])
  })
})
