import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createHub, type DisconnectReason, type Hub, type HubOptions, type WebSocketOptions } from '../src/index.js'
import { listen, rawClient, sleep, until, type TestServer } from './helpers.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

interface Frame {
  type: string
  id?: string
  data: unknown
}

/** SSE on /rooms/:room and WebSocket on /ws/:room, one hub (ids 1, 2, 3… per room). */
async function setup(options: HubOptions = {}, ws: Partial<WebSocketOptions> = {}) {
  const hub: Hub = createHub({ retryMs: 50, retryJitterMs: 0, replay: { startSeq: 0 }, ...options })
  const route = hub.route((_req, url) => /^\/rooms\/([^/]+)$/.exec(url.pathname)?.[1])
  const srv: TestServer = await listen((req, res) => {
    if (!route(req, res)) res.writeHead(404).end()
  })
  hub.attachWebSocket(srv.server, {
    path: /^\/ws\//,
    room: (_req, url) => {
      const room = url.pathname.slice(4)
      return room === 'forbidden' ? undefined : room
    },
    ...ws,
  })
  cleanups.push(() => srv.close(), () => hub.close({ timeoutMs: 100 }))
  return { hub, srv, wsUrl: (room: string) => `ws://127.0.0.1:${srv.port}/ws/${room}` }
}

function connect(url: string, options?: WebSocket.ClientOptions) {
  const ws = new WebSocket(url, options)
  const frames: Frame[] = []
  const binary: Buffer[] = []
  ws.on('message', (data, isBinary) => {
    if (isBinary) binary.push(data as Buffer)
    else frames.push(JSON.parse(String(data)))
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  )
  ws.on('error', () => {})
  cleanups.push(() => ws.terminate())
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
  return { ws, frames, binary, closed, open }
}

describe('WebSocket clients', () => {
  it('get JSON frames with the same ids as SSE clients of the room, after a per-client hello', async () => {
    const { hub, srv, wsUrl } = await setup({ onConnect: (c) => c.send('hello', { transport: c.transport }) })
    const sse = await rawClient(`${srv.url}/rooms/mix`)
    cleanups.push(() => sse.close())
    const c = connect(wsUrl('mix'))
    await c.open
    await until(() => hub.clientCount('mix') === 2)
    for (let i = 1; i <= 3; i++) await hub.publish('mix', 'section', { i })
    await until(() => c.frames.length === 4)
    await sse.waitFor(4)
    expect(c.frames).toEqual([
      { type: 'hello', data: { transport: 'ws' } },
      { type: 'section', id: '1', data: { i: 1 } },
      { type: 'section', id: '2', data: { i: 2 } },
      { type: 'section', id: '3', data: { i: 3 } },
    ])
    expect(sse.events.map((e) => e.id)).toEqual([undefined, '1', '2', '3'])
    expect(hub.stats()).toMatchObject({ clients: 2, sseClients: 1, wsClients: 1 })
  })

  it('resume with ?lastEventId= (or a Last-Event-ID header) replays exactly the missed messages', async () => {
    const { hub, wsUrl } = await setup()
    for (let i = 1; i <= 6; i++) await hub.publish('r', 'm', i)
    const q = connect(`${wsUrl('r')}?lastEventId=3`)
    const h = connect(wsUrl('r'), { headers: { 'Last-Event-ID': '5' } })
    await Promise.all([q.open, h.open])
    await until(() => q.frames.length === 3 && h.frames.length === 1)
    await hub.publish('r', 'm', 7)
    await until(() => q.frames.length === 4 && h.frames.length === 2)
    await sleep(20)
    expect(q.frames.map((f) => [f.id, f.data])).toEqual([
      ['4', 4],
      ['5', 5],
      ['6', 6],
      ['7', 7],
    ])
    expect(h.frames.map((f) => f.id)).toEqual(['6', '7'])
  })

  it('replays a long backlog without dropping the resuming client', async () => {
    const { hub, wsUrl } = await setup({ maxQueueBytes: 64 * 1024, replay: { startSeq: 0, maxEntries: 2000 } })
    const pad = 'y'.repeat(8000)
    for (let i = 1; i <= 1500; i++) await hub.publish('b', 'm', { i, pad }) // ~12 MB
    const c = connect(`${wsUrl('b')}?lastEventId=0`)
    await c.open
    c.ws.pause()
    await sleep(200)
    c.ws.resume()
    await until(() => c.frames.length === 1500 || hub.stats().droppedSlowClients > 0, 10_000, 'the replay')
    expect(hub.stats().droppedSlowClients).toBe(0)
    expect(c.frames.map((f) => (f.data as { i: number }).i)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1))
  })

  it('an expired id gets the reset message with the latest id', async () => {
    const { hub, wsUrl } = await setup({ replay: { startSeq: 0, maxEntries: 2 } })
    for (let i = 1; i <= 5; i++) await hub.publish('x', 'm', i)
    const c = connect(`${wsUrl('x')}?lastEventId=1`)
    await c.open
    await until(() => c.frames.length === 1)
    expect(c.frames[0]).toEqual({ type: 'reset', id: '5', data: { latestId: '5' } })
  })

  it('sends binary frames for types with an encoder, built once per message', async () => {
    let encodes = 0
    const { hub, wsUrl } = await setup(
      {},
      {
        binary: {
          audio: (entry) => {
            encodes++
            const { seq } = JSON.parse(entry.data) as { seq: number }
            return new Uint8Array([seq, 1, 2, 3])
          },
        },
      },
    )
    const a = connect(wsUrl('bin'))
    const b = connect(wsUrl('bin'))
    await Promise.all([a.open, b.open])
    await until(() => hub.clientCount('bin') === 2)
    await hub.publish('bin', 'audio', { seq: 9 })
    await hub.publish('bin', 'section', { n: 1 })
    await until(() => a.binary.length === 1 && b.binary.length === 1 && a.frames.length === 1)
    expect([...a.binary[0]]).toEqual([9, 1, 2, 3])
    expect(a.frames).toEqual([{ type: 'section', id: '2', data: { n: 1 } }])
    expect(encodes).toBe(1)
  })

  it('passes client messages to onMessage', async () => {
    const got: string[] = []
    const { wsUrl } = await setup({}, { onMessage: (client, data) => got.push(`${client.room}:${String(data)}`) })
    const c = connect(wsUrl('talk'))
    await c.open
    c.ws.send('{"type":"controls"}')
    await until(() => got.length === 1)
    expect(got).toEqual(['talk:{"type":"controls"}'])
  })

  it('refuses unknown rooms with 404 and leaves other paths to other upgrade listeners', async () => {
    const { srv, wsUrl } = await setup()
    await expect(connect(wsUrl('forbidden')).open).rejects.toThrow(/404/)
    // A second endpoint on the same server takes its own path.
    const other = createHub()
    cleanups.push(() => other.close({ timeoutMs: 100 }))
    other.attachWebSocket(srv.server, { path: '/other', room: () => 'o' })
    const c = connect(`ws://127.0.0.1:${srv.port}/other`)
    await c.open
    await until(() => other.clientCount('o') === 1)
  })

  it('pings idle clients and drops one that never answers', async () => {
    const reasons: DisconnectReason[] = []
    const { hub, wsUrl } = await setup({ heartbeatMs: 60, onDisconnect: (_c, reason) => reasons.push(reason) })
    const alive = connect(wsUrl('p'))
    let pings = 0
    alive.ws.on('ping', () => pings++)
    const dead = connect(wsUrl('p'), { autoPong: false })
    await Promise.all([alive.open, dead.open])
    await until(() => reasons.includes('timeout'), 3000, 'the silent client to be dropped')
    expect(pings).toBeGreaterThanOrEqual(2)
    expect(hub.clientCount('p')).toBe(1)
  })

  it('drops a client that stops reading', async () => {
    const maxQueueBytes = 256 * 1024
    const { hub, wsUrl } = await setup({ maxQueueBytes })
    const slow = connect(wsUrl('s'))
    const good = connect(wsUrl('s'))
    await Promise.all([slow.open, good.open])
    slow.ws.pause()
    await until(() => hub.clientCount('s') === 2)
    const pad = 'x'.repeat(32 * 1024)
    for (let i = 0; i < 400; i++) {
      await hub.publish('s', 'm', { i, pad })
      expect(hub.stats().maxQueuedBytes).toBeLessThanOrEqual(maxQueueBytes + 64 * 1024)
      if (i % 20 === 0) await sleep(5)
    }
    await until(() => good.frames.length === 400, 10_000)
    expect(hub.stats().droppedSlowClients).toBe(1)
    expect(hub.clientCount('s')).toBe(1)
  })

  it('close() sends the final message, closes with 1001 and refuses new upgrades with 503', async () => {
    const { hub, wsUrl } = await setup()
    const c = connect(wsUrl('z'))
    await c.open
    await until(() => hub.clientCount('z') === 1)
    await hub.close({ event: { type: 'bye', data: { code: 'shutdown' } } })
    expect(await c.closed).toEqual({ code: 1001, reason: 'server closing' })
    expect(c.frames).toEqual([{ type: 'bye', data: { code: 'shutdown' } }])
    await expect(connect(wsUrl('z')).open).rejects.toThrow(/503/)
  })
})

describe('http', () => {
  it('answers HEAD on a stream path with the stream headers and no body', async () => {
    const { srv } = await setup()
    const res = await new Promise<http.IncomingMessage>((resolve) =>
      http.request(`${srv.url}/rooms/h`, { method: 'HEAD' }, resolve).end(),
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream')
  })
})
