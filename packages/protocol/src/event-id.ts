/**
 * Event ids: the SSE `id:` field, the `id` of WebSocket frames, and the `Last-Event-ID` a client resumes from.
 */
import * as z from 'zod'
import { fail } from './internal.js'

/** Longest event id, in UTF-8 bytes (the binary audio frame stores the length in one byte). */
export const MAX_EVENT_ID_BYTES = 255

const FORBIDDEN_IN_ID = /[\0\r\n]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/**
 * The rule an event id breaks, or `undefined` when it is valid. A valid id is a string of at most
 * {@link MAX_EVENT_ID_BYTES} UTF-8 bytes without LF, CR or NUL (an SSE parser would split the line on
 * LF/CR and ignores ids containing NUL) and without lone surrogates (they cannot survive UTF-8). The empty string is valid: over SSE it resets the client's last id.
 */
export function eventIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return 'id must be a string'
  if (FORBIDDEN_IN_ID.test(id)) return 'id must not contain LF, CR or NUL'
  if (LONE_SURROGATE.test(id)) return 'id must be well-formed Unicode (no lone surrogates)'
  if (id.length > MAX_EVENT_ID_BYTES / 3 && utf8Length(id) > MAX_EVENT_ID_BYTES) return `id must be at most ${MAX_EVENT_ID_BYTES} UTF-8 bytes`
  return undefined
}

/** Whether `id` is a valid event id (see {@link eventIdProblem}). */
export function isValidEventId(id: unknown): id is string {
  return eventIdProblem(id) === undefined
}

/** Schema of an event id (see {@link eventIdProblem}). */
export const EventIdSchema = z.string().superRefine((id, ctx) => {
  const problem = eventIdProblem(id)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

/**
 * An event id as given to the encoders: a string, or a per-stream sequence number
 * (a non-negative safe integer, written in decimal).
 */
export type EventIdInput = string | number

/**
 * Normalizes an event id given to an encoder to its string form.
 * @throws {@link ProtocolError} at path `['id']` for an invalid id.
 */
export function normalizeEventId(id: EventIdInput): string {
  if (typeof id === 'number') {
    if (!Number.isSafeInteger(id) || id < 0) fail(['id'], 'a numeric id must be a non-negative safe integer')
    return String(id)
  }
  const problem = eventIdProblem(id)
  if (problem) fail(['id'], problem)
  return id
}
