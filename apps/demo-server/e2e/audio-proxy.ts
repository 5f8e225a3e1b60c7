/**
 * A loopback TCP proxy for the e2e tests: forwards 127.0.0.1:<port> to a target port, delaying each chunk
 * the server sends by `delayMs ± jitterMs` (seeded, uniform) while keeping their order — as a slow, jittery
 * network would — and counting the bytes delivered to the client per request path.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'

/** A running proxy. */
export interface DelayProxy {
  readonly origin: string
  /** Bytes delivered to the client per request path (headers included; keep-alive connections attributed per request). */
  readonly delivered: Map<string, number>
  close(): Promise<void>
}

/** Mulberry32: a small seeded PRNG in [0, 1). */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Starts a proxy to `targetPort` that delays server → client chunks. */
export async function startDelayProxy(targetPort: number, delayMs = 0, jitterMs = 0, seed = 1): Promise<DelayProxy> {
  const rnd = prng(seed)
  const delivered = new Map<string, number>()
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    let path = ''
    const upstream = connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    let last = 0
    let ended = false
    client.on('data', (d) => {
      const m = /^(?:GET|POST|HEAD) (\S+)/.exec(d.subarray(0, 512).toString('latin1'))
      if (m) path = m[1].split('?')[0]
      upstream.write(d)
    })
    // One queue per connection, drained by one timer at a time: chunks leave in order, never overtaking.
    const queue: { at: number; data: Buffer; path: string }[] = []
    let timer: ReturnType<typeof setTimeout> | undefined
    const drain = (): void => {
      timer = undefined
      while (queue.length && queue[0].at <= Date.now()) {
        const q = queue.shift()!
        if (client.destroyed) continue
        client.write(q.data)
        delivered.set(q.path, (delivered.get(q.path) ?? 0) + q.data.length)
      }
      if (queue.length) timer = setTimeout(drain, Math.max(0, queue[0].at - Date.now()))
    }
    upstream.on('data', (d: Buffer) => {
      const at = Math.max(last, Date.now() + delayMs + (rnd() * 2 - 1) * jitterMs)
      last = at
      queue.push({ at, data: d, path })
      if (!timer) timer = setTimeout(drain, Math.max(0, queue[0].at - Date.now()))
    })
    const close = () => {
      if (ended) return
      ended = true
      setTimeout(() => { client.destroy(); upstream.destroy() }, Math.max(0, last - Date.now()) + 5)
    }
    upstream.on('end', close).on('error', close)
    client.on('end', close).on('error', close).on('close', () => upstream.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delivered,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
