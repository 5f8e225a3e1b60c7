/** Redis stream ids (`<ms>-<seq>`): parsing and ordering, as plain functions. */

const STREAM_ID = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/

/** True when `id` is a complete Redis stream id (`<ms>-<seq>`, decimal, no leading zeros). */
export function isStreamId(id: string): boolean {
  return STREAM_ID.test(id)
}

/** Compares two unsigned decimal strings without leading zeros. */
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Orders two Redis stream ids: negative, zero or positive as `a` is before, equal to or after `b`.
 * Exact for the whole 64-bit range of both parts (no floating point).
 */
export function compareStreamIds(a: string, b: string): number {
  const da = a.indexOf('-')
  const db = b.indexOf('-')
  return compareDecimal(a.slice(0, da), b.slice(0, db)) || compareDecimal(a.slice(da + 1), b.slice(db + 1))
}

/** The millisecond part of a stream id (the Redis server's clock when the entry was added). */
export function streamIdTime(id: string): number {
  return Number(id.slice(0, id.indexOf('-')))
}
