/** Why a Redis store operation failed. */
export type RedisStoreErrorCode = 'unavailable' | 'command' | 'closed'

/**
 * Thrown (as a rejection) by the Redis replay store: `unavailable` when Redis cannot be reached within the
 * store's `commandTimeoutMs`, `command` when Redis answered with an error, `closed` after `close()`.
 */
export class RedisStoreError extends Error {
  /** What kind of failure this is. */
  readonly code: RedisStoreErrorCode

  /** Wraps a failure of `operation` on `room` (the original error is kept as `cause`). */
  constructor(code: RedisStoreErrorCode, operation: string, room: string | undefined, cause?: unknown) {
    const where = room === undefined ? operation : `${operation} on room ${JSON.stringify(room)}`
    const why =
      code === 'unavailable'
        ? 'Redis is unreachable'
        : code === 'closed'
          ? 'the store is closed'
          : `Redis answered with an error: ${cause instanceof Error ? cause.message : String(cause)}`
    super(`@auralis/server-sse-redis: ${where} failed: ${why}`, { cause })
    this.name = 'RedisStoreError'
    this.code = code
  }
}
