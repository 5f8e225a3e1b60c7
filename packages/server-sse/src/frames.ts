import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { encodeSse, HEARTBEAT } from './encode.js'
import type { ReplayEntry } from './store.js'

/*
 * Wire helpers of the hub: HTTP/1.1 chunk framing, prebuilt heartbeat frames, per-message frame caches and the
 * small request helpers. Internal to the package (not exported from src/index.ts).
 */

const CRLF = Buffer.from('\r\n')

/**
 * Wraps a body chunk in HTTP/1.1 chunked framing: `<hex size>\r\n<bytes>\r\n`.
 * @internal
 */
export function chunked(body: Buffer): Buffer {
  const head = body.length.toString(16) + '\r\n'
  const out = Buffer.allocUnsafe(head.length + body.length + 2)
  out.write(head, 0, 'latin1')
  body.copy(out, head.length)
  CRLF.copy(out, head.length + body.length)
  return out
}

/**
 * The SSE heartbeat comment as bytes (for `res.write`).
 * @internal
 */
export const HEARTBEAT_BODY = Buffer.from(HEARTBEAT)
/**
 * The SSE heartbeat comment in HTTP/1.1 chunk framing (for direct socket writes).
 * @internal
 */
export const HEARTBEAT_CHUNK = chunked(HEARTBEAT_BODY)
/**
 * Replay batches are written in pieces of about this size.
 * @internal
 */
export const REPLAY_BATCH = 64 * 1024
/** Longest Last-Event-ID taken from a client. */
const MAX_ID_LENGTH = 200

/**
 * A payload as message text: a string as is, anything else as JSON (a TypeError when it has none).
 * @internal
 */
export function serialise(data: unknown): string {
  if (typeof data === 'string') return data
  const text = JSON.stringify(data)
  if (text === undefined) throw new TypeError('data must be JSON-serialisable (got undefined or a function)')
  return text
}

/**
 * A message's frames in each encoding, each built once on first use and shared by all clients.
 * @internal
 */
export class Frames {
  private _sse?: Buffer
  private _chunk?: Buffer
  private _ws?: Buffer
  private _bin?: Map<(entry: ReplayEntry) => Uint8Array, Uint8Array>
  constructor(readonly entry: ReplayEntry) {}
  sse(): Buffer {
    return (this._sse ??= Buffer.from(encodeSse({ event: this.entry.type, id: this.entry.id, data: this.entry.data })))
  }
  chunk(): Buffer {
    return (this._chunk ??= chunked(this.sse()))
  }
  wsText(): Buffer {
    const e = this.entry
    return (this._ws ??= Buffer.from(`{"type":${JSON.stringify(e.type)},"id":${JSON.stringify(e.id)},"data":${e.data}}`))
  }
  binary(encode: (entry: ReplayEntry) => Uint8Array): Uint8Array {
    this._bin ??= new Map()
    let bytes = this._bin.get(encode)
    if (!bytes) this._bin.set(encode, (bytes = encode(this.entry)))
    return bytes
  }
}

/**
 * Whether a hook's result is a promise (a thenable).
 * @internal
 */
export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === 'function'
}

/** A query-string parameter of a request URL, without parsing the URL unless the name occurs in it. */
function queryParam(url: string | undefined, name: string): string | undefined {
  if (!url || !url.includes(name + '=')) return undefined
  const q = url.indexOf('?')
  if (q < 0) return undefined
  return new URLSearchParams(url.slice(q + 1)).get(name) ?? undefined
}

/**
 * The id a client resumes from: the `Last-Event-ID` header, else the `lastEventId` query parameter.
 * @internal
 */
export function resumeId(req: IncomingMessage): string | undefined {
  const header = req.headers['last-event-id']
  let id = typeof header === 'string' && header !== '' ? header : queryParam(req.url, 'lastEventId')
  if (id === '') id = undefined
  // An absurd id cannot be one of ours: keep it short so it never travels further (the store says expired).
  if (id !== undefined && id.length > MAX_ID_LENGTH) id = id.slice(0, MAX_ID_LENGTH)
  return id
}

/**
 * A request's URL, parsed against a placeholder origin.
 * @internal
 */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost')
}

/**
 * Answers an upgrade request with a bare HTTP status and closes the socket.
 * @internal
 */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  socket.destroy()
}
