/** Reads an API path into a component, again on `reload()` and every `refreshMs` if given. */
import { useCallback, useEffect, useState } from 'preact/hooks'

import { api, ApiError } from './api'

export interface Loaded<T> {
  readonly data: T | undefined
  readonly error: string | undefined
  readonly reload: () => void
}

export function useApi<T>(path: string | null, refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [round, setRound] = useState(0)
  const reload = useCallback(() => setRound((value) => value + 1), [])
  useEffect(() => {
    if (path === null) {
      return undefined
    }
    let current = true
    api.get<T>(path).then(
      (answer) => {
        if (current) {
          setData(answer)
          setError(undefined)
        }
      },
      (failure: unknown) => {
        if (current) {
          setError(failure instanceof ApiError ? failure.message : String(failure))
        }
      },
    )
    return () => {
      current = false
    }
  }, [path, round])
  useEffect(() => {
    if (refreshMs === undefined) {
      return undefined
    }
    const timer = setInterval(reload, refreshMs)
    return () => clearInterval(timer)
  }, [refreshMs, reload])
  return { data, error, reload }
}
