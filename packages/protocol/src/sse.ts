/**
 * Server-Sent Events encoding, following the WHATWG HTML "event stream" format
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 *
 * Every field is written as `name: value` (one space after the colon, which parsers strip, so values that
 * begin with a space survive). Lines end with LF; an event ends with an empty line.
 */
import { fail, toJson } from './internal.js'
import { normalizeEventId, type EventIdInput } from './event-id.js'
import { SERVER_MESSAGE_TYPES, ServerMessageSchema, type ServerMessage } from './messages.js'
import { parseWith } from './validate.js'

/** One SSE event to encode. */
export interface SseEvent {
  /** `id:` — sets the client's last event id (sent back as `Last-Event-ID` on reconnect). */
  id?: EventIdInput
  /** `event:` — the event type (`message` when absent). Must not contain CR or LF. */
  event?: string
  /** `data:` — the payload. Line breaks (CRLF, CR or LF) split it into several `data:` lines. */
  data: string
  /** `retry:` — reconnection delay in milliseconds (a non-negative integer). */
  retry?: number
}

/** Options of the message encoders. */
export interface EncodeOptions {
  /**
   * Validate the message against the schemas before encoding (throws {@link ProtocolError} like
   * `parseMessage`). Off by default: the encoders trust typed input and only check what would corrupt the
   * stream (ids, event names, values with no JSON text).
   */
  validate?: boolean
}

const LINE_BREAK = /\r\n|\r|\n/
const CR_OR_LF = /[\r\n]/
const MESSAGE_TYPES: ReadonlySet<string> = new Set(SERVER_MESSAGE_TYPES)
const UTF8 = new TextEncoder()

function retryLine(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) fail(['retry'], 'retry must be a non-negative integer of milliseconds')
  return `retry: ${ms}\n`
}

/**
 * Encodes one SSE event. The data's line breaks are normalized: a client receives them as LF.
 * @throws {@link ProtocolError} for an id containing LF, CR or NUL (or longer than 255 UTF-8 bytes), an
 *   event name containing CR or LF, a non-string data, or a retry that is not a non-negative integer.
 * @example
 * encodeSseEvent({ id: 7, event: 'note', data: 'a\nb' })
 * // 'id: 7\nevent: note\ndata: a\ndata: b\n\n'
 */
export function encodeSseEvent(event: SseEvent): string {
  let out = ''
  if (event.id !== undefined) out += `id: ${normalizeEventId(event.id)}\n`
  if (event.event !== undefined) {
    if (typeof event.event !== 'string' || CR_OR_LF.test(event.event)) fail(['event'], 'event name must be a string without CR or LF')
    out += `event: ${event.event}\n`
  }
  if (event.retry !== undefined) out += retryLine(event.retry)
  if (typeof event.data !== 'string') fail(['data'], 'data must be a string')
  const lines = event.data.split(LINE_BREAK)
  for (let i = 0; i < lines.length; i++) out += `data: ${lines[i]}\n`
  return out + '\n'
}

/**
 * Encodes a server message as one SSE event: `event:` is the message type, `data:` the JSON of its payload
 * (one line: JSON text never contains a raw line break), `id:` the given id.
 * @throws {@link ProtocolError} for an unknown type, an invalid id, a payload with no JSON text, or (with
 *   `validate`) a message the schemas reject.
 * @example
 * encodeSseMessage({ type: 'reset', data: { reason: 'too old' } }, 42)
 * // 'id: 42\nevent: reset\ndata: {"reason":"too old"}\n\n'
 */
export function encodeSseMessage(message: ServerMessage, id?: EventIdInput, options?: EncodeOptions): string {
  if (options?.validate) parseWith(ServerMessageSchema, message)
  const type = message?.type
  if (!MESSAGE_TYPES.has(type)) fail(['type'], `unknown message type ${JSON.stringify(String(type))}`)
  const json = toJson(message.data, ['data'])
  return id === undefined ? `event: ${type}\ndata: ${json}\n\n` : `id: ${normalizeEventId(id)}\nevent: ${type}\ndata: ${json}\n\n`
}

/**
 * {@link encodeSseMessage} as UTF-8 bytes: build the frame once and write the same buffer to every client.
 */
export function encodeSseMessageBuffer(message: ServerMessage, id?: EventIdInput, options?: EncodeOptions): Uint8Array {
  return UTF8.encode(encodeSseMessage(message, id, options))
}

/**
 * Encodes a comment (a heartbeat): `: text` per line, which clients ignore but which keeps proxies from
 * closing an idle stream. `encodeSseComment()` gives the shortest heartbeat, `:\n`.
 */
export function encodeSseComment(text = ''): string {
  if (typeof text !== 'string') fail([], 'comment must be a string')
  let out = ''
  for (const line of text.split(LINE_BREAK)) out += line ? `: ${line}\n` : ':\n'
  return out
}

/**
 * Encodes a lone `retry:` field: the client's reconnection delay in milliseconds.
 * @throws {@link ProtocolError} unless `ms` is a non-negative integer.
 */
export function encodeSseRetry(ms: number): string {
  return retryLine(ms)
}
