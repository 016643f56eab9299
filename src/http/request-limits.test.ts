import { describe, expect, it } from 'vitest'

import { ConfigurationError, configFromEnvironment } from '../main.js'
import { DEFAULT_REQUEST_LIMITS, requestLimitsFromEnvironment } from './request-limits.js'

describe('request limits from the environment', () => {
  it('defaults to 6000 requests a minute, 30 s requests, 10 s headers, no other origin and 60 failed authentications a minute', () => {
    expect(requestLimitsFromEnvironment({})).toEqual({
      ok: true,
      limits: {
        ratePerMinute: 6000,
        requestTimeoutMs: 30_000,
        headersTimeoutMs: 10_000,
        corsOrigins: [],
        authenticationFailuresPerMinute: 60,
      },
    })
    expect(configFromEnvironment({}).limits).toEqual(DEFAULT_REQUEST_LIMITS)
  })

  it('reads each setting, origins comma-separated', () => {
    expect(
      requestLimitsFromEnvironment({
        LEADCLOCK_RATE_LIMIT_PER_MINUTE: '120',
        LEADCLOCK_REQUEST_TIMEOUT_MS: '5000',
        LEADCLOCK_HEADERS_TIMEOUT_MS: '5000',
        LEADCLOCK_CORS_ORIGINS: 'https://dashboard.example.com, http://localhost:5173',
        LEADCLOCK_AUTH_FAILURES_PER_MINUTE: '10',
      }),
    ).toEqual({
      ok: true,
      limits: {
        ratePerMinute: 120,
        requestTimeoutMs: 5000,
        headersTimeoutMs: 5000,
        corsOrigins: ['https://dashboard.example.com', 'http://localhost:5173'],
        authenticationFailuresPerMinute: 10,
      },
    })
  })

  it('names every invalid setting and the rule it breaks', () => {
    expect(
      requestLimitsFromEnvironment({
        LEADCLOCK_RATE_LIMIT_PER_MINUTE: '0',
        LEADCLOCK_REQUEST_TIMEOUT_MS: '1.5',
        LEADCLOCK_CORS_ORIGINS: 'https://dashboard.example.com/,*',
      }),
    ).toEqual({
      ok: false,
      problems: [
        'LEADCLOCK_RATE_LIMIT_PER_MINUTE is "0"; use a whole number of at least 1',
        'LEADCLOCK_REQUEST_TIMEOUT_MS is "1.5"; use a whole number of at least 1',
        'LEADCLOCK_CORS_ORIGINS: "https://dashboard.example.com/" is not an origin; write it as scheme://host[:port], e.g. https://dashboard.example.com',
        'LEADCLOCK_CORS_ORIGINS: "*" is not an origin; write it as scheme://host[:port], e.g. https://dashboard.example.com',
      ],
    })
    expect(() =>
      configFromEnvironment({
        LEADCLOCK_REQUEST_TIMEOUT_MS: '1000',
        LEADCLOCK_HEADERS_TIMEOUT_MS: '2000',
      }),
    ).toThrow(
      new ConfigurationError(
        'request limits are invalid:\n  LEADCLOCK_HEADERS_TIMEOUT_MS (2000) is longer than LEADCLOCK_REQUEST_TIMEOUT_MS (1000); headers are part of the request',
      ),
    )
  })
})
