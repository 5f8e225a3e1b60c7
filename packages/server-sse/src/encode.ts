/**
 * A tiny Server-Sent Events encoder following the WHATWG HTML "server-sent events" section
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 *
 * An event is a block of `field: value` lines ended by a blank line. `data` may span several lines
 * (one `data:` line each; the parser joins them with LF). `event` and `id` must be single lines, and an
 * `id` containing NUL is ignored by parsers, so both are rejected here rather than silently corrupted.
 */

/** One SSE event (or a `retry`/comment-only block) before encoding. */
export interface SseFields {
  /** Event type (`event:`); omitted means the default `message` type. */
  event?: string
  /** Event id (`id:`); the client echoes the last one as `Last-Event-ID` on reconnect. `''` clears it. */
  id?: string
  /** Payload (`data:`); CR, LF and CRLF split it into several `data:` lines. */
  data?: string
  /** Reconnection time hint in milliseconds (`retry:`). */
  retry?: number
  /** A comment line (`: text`), ignored by clients: heartbeats use it. */
  comment?: string
}

const LINE_BREAK = /\r\n|\r|\n/

function assertSingleLine(name: string, value: string): void {
  if (/[\r\n]/.test(value)) throw new TypeError(`SSE ${name} must not contain CR or LF: ${JSON.stringify(value)}`)
}

/** Throws a TypeError unless `type` can be an SSE event name (non-empty, one line). */
export function assertEventType(type: string): void {
  if (typeof type !== 'string' || type.length === 0) throw new TypeError('SSE event type must be a non-empty string')
  assertSingleLine('event type', type)
}

/** Throws a TypeError unless `id` can be an SSE event id (one line, no NUL). */
export function assertEventId(id: string): void {
  if (typeof id !== 'string') throw new TypeError('SSE event id must be a string')
  assertSingleLine('id', id)
  if (id.includes('\0')) throw new TypeError('SSE id must not contain NUL (parsers ignore such ids)')
}

/**
 * Encodes one SSE block, blank line included. Field order: comment, retry, event, id, data.
 * Note that browsers never dispatch an event whose data is empty; send at least `data: {}` or similar.
 */
export function encodeSse(fields: SseFields): string {
  let out = ''
  if (fields.comment !== undefined) {
    for (const line of fields.comment.split(LINE_BREAK)) out += line ? `: ${line}\n` : ':\n'
  }
  if (fields.retry !== undefined) {
    if (!Number.isInteger(fields.retry) || fields.retry < 0) throw new TypeError('SSE retry must be a non-negative integer')
    out += `retry: ${fields.retry}\n`
  }
  if (fields.event !== undefined) {
    assertEventType(fields.event)
    out += `event: ${fields.event}\n`
  }
  if (fields.id !== undefined) {
    assertEventId(fields.id)
    out += fields.id ? `id: ${fields.id}\n` : 'id:\n'
  }
  if (fields.data !== undefined) {
    for (const line of fields.data.split(LINE_BREAK)) out += `data: ${line}\n`
  }
  return out + '\n'
}

/** The heartbeat block: a bare comment line, the smallest thing that keeps proxies from timing out. */
export const HEARTBEAT = ':\n\n'
