/** A store failure a caller can act on: bad input, a row that is not what the schema promises, misuse. */
export class StoreError extends Error {
  override readonly name = 'StoreError'
}
