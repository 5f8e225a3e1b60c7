import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { EventSource } from 'eventsource'
import { createHub, type Hub, type ReplayStore } from '@auralis/server-sse'

/** A key prefix unique to one test, so tests sharing a Redis never see each other's rooms. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}:`
}

/** Polls `pred` every 10 ms until true or the timeout. */
export async function until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A hub on its own node:http server at 127.0.0.1 serving `/rooms/<name>`. */
export async function startInstance(store: ReplayStore): Promise<{ hub: Hub; server: Server; url: string; close: () => Promise<void> }> {
  const hub = createHub({ store, heartbeatMs: 0, retryMs: 100, retryJitterMs: 0 })
  const route = hub.route((_req, url) => (url.pathname.startsWith('/rooms/') ? url.pathname.slice(7) : undefined))
  const server = createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    hub,
    server,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await hub.close({ timeoutMs: 500 })
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

/** One SSE message received by {@link listen}. */
export interface Got {
  type: string
  id: string
  data: unknown
  at: number
}

/** An `eventsource` client recording every message of the given types. */
export function listen(url: string, types: string[], lastEventId?: string) {
  const got: Got[] = []
  const es = new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) } }),
  })
  for (const t of types) es.addEventListener(t, (e) => got.push({ type: t, id: e.lastEventId, data: JSON.parse(e.data), at: Date.now() }))
  const open = new Promise<void>((resolve, reject) => {
    es.addEventListener('open', () => resolve(), { once: true })
    es.addEventListener('error', (e) => reject(e), { once: true })
  })
  return { es, got, open }
}
