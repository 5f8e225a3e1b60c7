// A runnable example: node:http in front (stream paths go to the hub), Express for everything else,
// WebSocket on the same server. Build the package first, then:
//
//   node examples/radio.mjs            # http://127.0.0.1:8080  (PORT and HOST change it)
//
import http from 'node:http'
import express from 'express'
import { createHub } from '@auralis/server-sse'

const hub = createHub({
  // First message of every client, before any replay.
  onConnect: (client) => client.send('hello', { room: client.room, serverTime: Date.now() }),
})

// Stream paths are answered before Express sees the request.
const streams = hub.route((_req, url) => /^\/stations\/([a-z]+)\/events$/.exec(url.pathname)?.[1])

const app = express()
app.get('/', (_req, res) => res.type('html').send(PAGE))
app.get('/stats', (_req, res) => res.json(hub.stats()))

const server = http.createServer((req, res) => streams(req, res) || app(req, res))
hub.attachWebSocket(server, {
  path: /^\/stations\/[a-z]+\/ws$/,
  room: (_req, url) => url.pathname.split('/')[2],
})

let beat = 0
const timer = setInterval(() => void hub.publish('demo', 'tick', { beat: beat++, at: Date.now() }), 1000)

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address()
  console.log(`listening on http://${address}:${port}`)
})

async function shutdown() {
  clearInterval(timer)
  // Every stream gets a last message and a clean end; new clients get 503.
  await hub.close({ event: { type: 'bye', data: { reason: 'shutdown' } }, timeoutMs: 2000 })
  server.close(() => process.exit(0))
  server.closeIdleConnections()
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)

const PAGE = `<!doctype html><meta charset="utf-8"><title>server-sse demo</title>
<pre id="log"></pre>
<script>
  const log = (line) => (document.getElementById('log').textContent += line + '\\n')
  const events = new EventSource('/stations/demo/events')
  events.addEventListener('hello', (e) => log('hello ' + e.data))
  events.addEventListener('tick', (e) => log('#' + e.lastEventId + ' ' + e.data))
  events.addEventListener('reset', () => log('reset: missed too much, starting from now'))
  events.addEventListener('bye', (e) => log('bye ' + e.data))
</script>`
