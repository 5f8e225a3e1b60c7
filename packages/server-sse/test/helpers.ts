import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TestServer {
  server: http.Server
  port: number
  url: string
  close(): Promise<void>
}

/** A node:http server on 127.0.0.1 and a free port. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  server = http.createServer(handler),
): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface SseEvent {
  type: string
  id: string | undefined
  data: string
}

/** A minimal WHATWG-style event-stream parser (fields, multi-line data, comments). */
export class SseParser {
  private buffer = ''
  private data: string[] = []
  private type = ''
  private id: string | undefined
  comments = 0
  retry: number | undefined
  lastEventId = ''
  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: string): void {
    const text = this.buffer + chunk
    const lineEnd = /\r\n|\r|\n/g
    let start = 0
    let m: RegExpExecArray | null
    while ((m = lineEnd.exec(text)) !== null) {
      // A CR at the very end may be the first half of a CRLF: wait for more.
      if (m[0] === '\r' && m.index === text.length - 1) break
      this.line(text.slice(start, m.index))
      start = m.index + m[0].length
    }
    this.buffer = text.slice(start)
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onEvent({ type: this.type || 'message', id: this.id, data: this.data.join('\n') })
      this.data = []
      this.type = ''
      this.id = undefined
      return
    }
    if (line.startsWith(':')) {
      this.comments++
      return
    }
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') this.data.push(value)
    else if (field === 'event') this.type = value
    else if (field === 'id') {
      this.id = value
      this.lastEventId = value
    } else if (field === 'retry') this.retry = Number(value)
  }
}

export interface RawClient {
  res: IncomingMessage
  events: SseEvent[]
  /** `Date.now()` when each event arrived. */
  times: number[]
  parser: SseParser
  ended: Promise<void>
  /** Resolves when `n` events have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<SseEvent[]>
  close(): void
}

/** A plain http.get SSE client (lighter than EventSource, and exposes the raw response). */
export function rawClient(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      const events: SseEvent[] = []
      const times: number[] = []
      let waiters: { n: number; resolve: () => void }[] = []
      const parser = new SseParser((e) => {
        events.push(e)
        times.push(Date.now())
        waiters = waiters.filter((w) => (events.length >= w.n ? (w.resolve(), false) : true))
      })
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => parser.push(chunk))
      const ended = new Promise<void>((done) => {
        res.on('end', done)
        res.on('close', done)
        res.on('error', done)
      })
      resolve({
        res,
        events,
        times,
        parser,
        ended,
        waitFor(n, ms = 5000) {
          if (events.length >= n) return Promise.resolve(events)
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`timed out with ${events.length}/${n} events`)), ms)
            waiters.push({
              n,
              resolve: () => {
                clearTimeout(timer)
                ok(events)
              },
            })
          })
        },
        close: () => req.destroy(),
      })
    })
    req.on('error', reject)
  })
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Polls `check` until it returns true (rejects after `ms`). */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}
