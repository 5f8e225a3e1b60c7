// Messages/s and added latency (publish → SSE client receive) through the Redis store vs the in-memory store,
// in the same run, on loopback. Starts its own redis-server. Usage: node bench/redis-vs-memory.mjs
import { createServer, request } from 'node:http'
import { createHub, MemoryReplayStore } from '@auralis/server-sse'
import { createRedisReplayStore } from '../dist/index.js'
import { startRedisServer } from '../dist/testing.js'

const CLIENTS = Number(process.env.CLIENTS ?? 50)
const MESSAGES = Number(process.env.MESSAGES ?? 4000)
const RATE_MESSAGES = Number(process.env.RATE_MESSAGES ?? 400)
const RATE = Number(process.env.RATE ?? 200) // messages/s in the latency run

async function instance(store) {
  const hub = createHub({ store, heartbeatMs: 0, retryMs: null })
  const route = hub.route((_req, url) => (url.pathname.startsWith('/rooms/') ? url.pathname.slice(7) : undefined))
  const server = createServer((req, res) => { if (!route(req, res)) res.writeHead(404).end() })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { hub, port: server.address().port, close: async () => { await hub.close({ timeoutMs: 200 }); server.closeAllConnections(); server.close() } }
}

/** A raw SSE client counting `data:` lines and recording the receive time of each message's sent stamp. */
function client(port, room, onMessage) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: `/rooms/${room}`, headers: { accept: 'text/event-stream' } }, (res) => {
      let buf = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        buf += chunk
        let at
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, at)
          buf = buf.slice(at + 2)
          const line = frame.split('\n').find((l) => l.startsWith('data:'))
          if (line) onMessage(JSON.parse(line.slice(5)))
        }
      })
      resolve(req)
    })
    req.end()
  })
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] }

async function run(name, makeStore, publisherStore) {
  const consumer = await instance(makeStore())
  const publisher = publisherStore ? await instance(publisherStore()) : consumer
  const room = `bench-${name.replace(/[^a-z]+/g, "-")}-${Date.now()}`
  let received = 0
  const latencies = []
  const reqs = []
  for (let i = 0; i < CLIENTS; i++) reqs.push(await client(consumer.port, room, (m) => { received++; if (m.t) latencies.push(performance.now() - m.t) }))
  await new Promise((r) => setTimeout(r, 300))
  if (consumer.hub.store.isFollowing) while (!consumer.hub.store.isFollowing(room)) await new Promise((r) => setTimeout(r, 5))
  // Throughput: publish MESSAGES back to back (pipelined), until every client has every message.
  const t0 = performance.now()
  await Promise.all(Array.from({ length: MESSAGES }, (_, i) => publisher.hub.publish(room, 'm', { i })))
  while (received < MESSAGES * CLIENTS) await new Promise((r) => setImmediate(r))
  const seconds = (performance.now() - t0) / 1000
  // Latency: a steady RATE, each message stamped with its publish time.
  for (let i = 0; i < RATE_MESSAGES; i++) {
    void publisher.hub.publish(room, 'm', { t: performance.now() })
    await new Promise((r) => setTimeout(r, 1000 / RATE))
  }
  while (latencies.length < RATE_MESSAGES * CLIENTS) await new Promise((r) => setTimeout(r, 5))
  for (const r of reqs) r.destroy()
  await consumer.close()
  if (publisher !== consumer) await publisher.close()
  await consumer.hub.store.close?.()
  if (publisher !== consumer) await publisher.hub.store.close?.()
  return { name, messagesPerSecond: Math.round(MESSAGES / seconds), deliveriesPerSecond: Math.round((MESSAGES * CLIENTS) / seconds), p50Ms: +pct(latencies, 0.5).toFixed(2), p99Ms: +pct(latencies, 0.99).toFixed(2) }
}

const redis = await startRedisServer()
try {
  const memory = await run('memory', () => new MemoryReplayStore({ maxEntries: 10_000 }))
  const same = await run('redis (one instance)', () => createRedisReplayStore({ url: redis.url, maxEntries: 10_000 }))
  const cross = await run('redis (publish on A, clients on B)', () => createRedisReplayStore({ url: redis.url, maxEntries: 10_000 }), () => createRedisReplayStore({ url: redis.url, maxEntries: 10_000 }))
  const rows = [memory, same, cross]
  console.log(`${CLIENTS} SSE clients, ${MESSAGES} messages back to back, then ${RATE_MESSAGES} at ${RATE}/s for latency (loopback, Node ${process.version})`)
  console.table(rows)
  for (const r of rows.slice(1)) {
    console.log(`${r.name}: throughput ×${(r.messagesPerSecond / memory.messagesPerSecond).toFixed(2)} of memory; added latency p50 +${(r.p50Ms - memory.p50Ms).toFixed(2)} ms, p99 +${(r.p99Ms - memory.p99Ms).toFixed(2)} ms`)
  }
} finally {
  await redis.stop()
}
