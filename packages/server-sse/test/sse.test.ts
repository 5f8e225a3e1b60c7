import http from 'node:http'
import net from 'node:net'
import { EventSource } from 'eventsource'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { createHub, MemoryReplayStore, type Hub, type HubOptions, type ReplayStore } from '../src/index.js'
import { listen, rawClient, sleep, until, type SseEvent, type TestServer } from './helpers.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** A hub (ids 1, 2, 3… per room) behind `GET /rooms/:room` on a fresh server. */
async function setup(options: HubOptions = {}): Promise<{ hub: Hub; srv: TestServer; url: (room: string) => string }> {
  const hub = createHub({ retryMs: 50, retryJitterMs: 0, replay: { startSeq: 0 }, ...options })
  const route = hub.route((_req, url) => /^\/rooms\/([^/]+)$/.exec(url.pathname)?.[1])
  const srv = await listen((req, res) => {
    if (!route(req, res)) res.writeHead(404).end()
  })
  cleanups.push(() => srv.close(), () => hub.close({ timeoutMs: 100 }))
  return { hub, srv, url: (room) => `${srv.url}/rooms/${room}` }
}

/** EventSource from the `eventsource` package, collecting every event of the given types. */
function collect(url: string, types: string[], init?: ConstructorParameters<typeof EventSource>[1]) {
  const es = new EventSource(url, init)
  cleanups.push(() => es.close())
  const events: { type: string; id: string; data: string }[] = []
  for (const type of types) es.addEventListener(type, (e) => events.push({ type, id: e.lastEventId, data: e.data }))
  return { es, events }
}

const datas = (events: { data: string }[]): unknown[] => events.map((e) => JSON.parse(e.data))

describe('SSE streams', () => {
  it('sends the stream headers, a retry hint, and no compression', async () => {
    const { hub, url } = await setup({ retryMs: 1234 })
    const c = await rawClient(url('a'))
    cleanups.push(() => c.close())
    expect(c.res.statusCode).toBe(200)
    expect(c.res.headers['content-type']).toBe('text/event-stream')
    expect(c.res.headers['cache-control']).toBe('no-cache, no-transform')
    expect(c.res.headers['x-accel-buffering']).toBe('no')
    expect(c.res.headers.connection).toBe('keep-alive')
    expect(c.res.headers['content-encoding']).toBeUndefined()
    await until(() => c.parser.retry !== undefined)
    expect(c.parser.retry).toBe(1234)
    await until(() => hub.clientCount('a') === 1)
  })

  it('delivers hello (onConnect) then every message in order with its id, to the eventsource client', async () => {
    const { hub, url } = await setup({ onConnect: (client) => client.send('hello', { room: client.room }) })
    const { events, es } = collect(url('jazz'), ['hello', 'section'])
    await new Promise((r) => es.addEventListener('open', r))
    await until(() => events.length === 1)
    for (let i = 1; i <= 20; i++) await hub.publish('jazz', 'section', { n: i })
    await hub.publish('other', 'section', { n: 'not for jazz' })
    await until(() => events.length === 21)
    expect(events[0]).toEqual({ type: 'hello', id: '', data: '{"room":"jazz"}' })
    expect(events.slice(1).map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)))
    expect(datas(events.slice(1))).toEqual(Array.from({ length: 20 }, (_, i) => ({ n: i + 1 })))
    const stats = hub.stats()
    expect(stats).toMatchObject({ rooms: 1, clients: 1, sseClients: 1, perRoom: { jazz: 1 }, published: 21, delivered: 20 })
  })

  it('sends pre-serialised strings verbatim, multi-line data included', async () => {
    const { hub, url } = await setup()
    const c = await rawClient(url('a'))
    cleanups.push(() => c.close())
    await until(() => hub.clientCount('a') === 1)
    await hub.publish('a', 'text', 'line one\nline two')
    const [e] = await c.waitFor(1)
    expect(e).toEqual({ type: 'text', id: '1', data: 'line one\nline two' })
  })

  it('resumes after a disconnect with Last-Event-ID: exactly the missed messages, then live', async () => {
    const { hub, url } = await setup()
    const { events, es } = collect(url('r'), ['m'])
    let opens = 0
    es.addEventListener('open', () => opens++)
    await until(() => hub.clientCount('r') === 1)
    for (let i = 1; i <= 5; i++) await hub.publish('r', 'm', i)
    await until(() => events.length === 5)
    // The server drops the connection; messages published meanwhile must be replayed on reconnect.
    await hub.closeRoom('r', { keepLog: true })
    for (let i = 6; i <= 8; i++) await hub.publish('r', 'm', i)
    await until(() => opens === 2 && hub.clientCount('r') === 1)
    for (let i = 9; i <= 10; i++) await hub.publish('r', 'm', i)
    await until(() => events.length >= 10)
    await sleep(50)
    expect(datas(events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    expect(hub.stats()).toMatchObject({ replays: 1, replayedEntries: 3, resets: 0 })
  })

  it('takes a lastEventId query on a first connect; the header wins when both are present', async () => {
    const { hub, url } = await setup()
    for (let i = 1; i <= 6; i++) await hub.publish('q', 'm', i)
    const a = await rawClient(`${url('q')}?lastEventId=4`)
    const b = await rawClient(`${url('q')}?lastEventId=1`, { 'last-event-id': '5' })
    cleanups.push(() => a.close(), () => b.close())
    expect(datas(await a.waitFor(2))).toEqual([5, 6])
    expect(datas(await b.waitFor(1))).toEqual([6])
  })

  it('answers an id older than the log with a reset carrying the latest id, then continues live', async () => {
    const { hub, url } = await setup({ replay: { startSeq: 0, maxEntries: 3 } })
    for (let i = 1; i <= 10; i++) await hub.publish('x', 'm', i)
    const { events, es } = collect(url('x'), ['m', 'reset'], {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, 'Last-Event-ID': '2' } }),
    })
    await new Promise((r) => es.addEventListener('open', r))
    await until(() => events.length === 1)
    await hub.publish('x', 'm', 11)
    await until(() => events.length === 2)
    expect(events[0]).toEqual({ type: 'reset', id: '10', data: '{"latestId":"10"}' })
    expect(events[1]).toEqual({ type: 'm', id: '11', data: '11' })
    expect(hub.stats().resets).toBe(1)
  })

  it('uses the configured reset event name and data; an empty room clears the client id', async () => {
    const { url } = await setup({ resetEvent: 'restart', resetData: ({ room, lastEventId }) => ({ room, lastEventId }) })
    const c = await rawClient(url('empty'), { 'last-event-id': '99' })
    cleanups.push(() => c.close())
    const [e] = await c.waitFor(1)
    expect(e).toEqual({ type: 'restart', id: '', data: '{"room":"empty","lastEventId":"99"}' })
  })

  it('has no gap and no duplicate when messages are published during the replay read', async () => {
    const inner = new MemoryReplayStore({ startSeq: 0 })
    let release!: () => void
    let reading!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const readStarted = new Promise<void>((r) => (reading = r))
    // A store whose since() reads the log, then is slow to answer — as a remote store would be.
    const store: ReplayStore = Object.assign(Object.create(inner) as MemoryReplayStore, {
      since: async (room: string, lastId: string) => {
        reading()
        const midRead = await inner.since(room, lastId)
        await gate
        return midRead
      },
    })
    const { hub, url } = await setup({ store })
    for (let i = 1; i <= 5; i++) await hub.publish('g', 'm', i)
    const c = await rawClient(url('g'), { 'last-event-id': '2' })
    cleanups.push(() => c.close())
    await readStarted
    // Published after the read: they reach the client as live messages (held until the replay is out).
    for (let i = 6; i <= 8; i++) await hub.publish('g', 'm', i)
    release()
    await c.waitFor(6)
    await hub.publish('g', 'm', 9)
    await c.waitFor(7)
    await sleep(30)
    expect(datas(c.events)).toEqual([3, 4, 5, 6, 7, 8, 9])
    expect(c.events.map((e) => e.id)).toEqual(['3', '4', '5', '6', '7', '8', '9'])
  })

  it('drops the overlap when the read sees messages that also arrive live', async () => {
    const inner = new MemoryReplayStore({ startSeq: 0 })
    let release!: () => void
    let reading!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const readStarted = new Promise<void>((r) => (reading = r))
    // This store answers from the log as it is after the gate: it includes 6..8, which were also fed live.
    const store: ReplayStore = Object.assign(Object.create(inner) as MemoryReplayStore, {
      since: async (room: string, lastId: string) => {
        reading()
        await gate
        return inner.since(room, lastId)
      },
    })
    const { hub, url } = await setup({ store })
    for (let i = 1; i <= 5; i++) await hub.publish('g', 'm', i)
    const c = await rawClient(url('g'), { 'last-event-id': '2' })
    cleanups.push(() => c.close())
    await readStarted
    for (let i = 6; i <= 8; i++) await hub.publish('g', 'm', i)
    release()
    await c.waitFor(6)
    await hub.publish('g', 'm', 9)
    await c.waitFor(7)
    await sleep(30)
    expect(datas(c.events)).toEqual([3, 4, 5, 6, 7, 8, 9])
  })

  it('sends heartbeat comments on idle streams', async () => {
    const { hub, url } = await setup({ heartbeatMs: 60 })
    const c = await rawClient(url('h'))
    cleanups.push(() => c.close())
    await until(() => c.parser.comments >= 3, 2000, 'three heartbeats')
    expect(hub.stats().heartbeats).toBeGreaterThanOrEqual(3)
  })

  it('drops a client that stops reading while the others receive on time, with bounded queues', async () => {
    const maxQueueBytes = 256 * 1024
    const drops: number[] = []
    const { hub, srv } = await setup({ maxQueueBytes, onDrop: (_c, info) => drops.push(info.queuedBytes) })
    // A raw socket that sends its request, then never reads a byte.
    const stuck = net.connect({ port: srv.port, host: '127.0.0.1' })
    stuck.on('error', () => {})
    stuck.write('GET /rooms/s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n')
    stuck.pause()
    cleanups.push(() => stuck.destroy())
    // And an http response that is paused (the reader stops pulling).
    const paused = await rawClient(`${srv.url}/rooms/s`)
    paused.res.pause()
    cleanups.push(() => paused.close())
    const good = await rawClient(`${srv.url}/rooms/s`)
    cleanups.push(() => good.close())
    await until(() => hub.clientCount('s') === 3)

    const pad = 'x'.repeat(32 * 1024)
    let maxQueued = 0
    const total = 400 // 400 × 32 KB = 12.8 MB, far more than loopback socket buffers take
    for (let i = 0; i < total; i++) {
      await hub.publish('s', 'm', { i, t: Date.now(), pad })
      maxQueued = Math.max(maxQueued, hub.stats().maxQueuedBytes)
      if (i % 20 === 0) await sleep(5) // let the good client read
    }
    await good.waitFor(total, 10_000)
    expect(good.events.map((e) => JSON.parse(e.data).i)).toEqual(Array.from({ length: total }, (_, i) => i))
    // On time: every message reached the good client within a fraction of a second of its publication.
    const lags = good.events.map((e, k) => good.times[k] - JSON.parse(e.data).t)
    expect(Math.max(...lags)).toBeLessThan(1000)
    await until(() => hub.stats().droppedSlowClients === 2, 5000, 'both slow clients dropped')
    expect(hub.clientCount('s')).toBe(1)
    // Each was dropped as soon as it went over the bound (by less than one message)...
    expect(drops).toHaveLength(2)
    for (const q of drops) expect(q).toBeGreaterThan(maxQueueBytes)
    for (const q of drops) expect(q).toBeLessThanOrEqual(maxQueueBytes + 64 * 1024)
    // ...and no client ever had more than the bound plus one message waiting.
    expect(maxQueued).toBeLessThanOrEqual(maxQueueBytes + 64 * 1024)
  })

  it('close() ends every stream with a final message and refuses new clients', async () => {
    const { hub, url } = await setup()
    const a = await rawClient(url('c'))
    const b = await rawClient(url('d'))
    await until(() => hub.clientCount() === 2)
    await hub.publish('c', 'm', 1)
    await hub.close({ event: { type: 'bye', data: { reason: 'shutdown' } } })
    await Promise.all([a.ended, b.ended])
    expect(a.events.map((e) => e.type)).toEqual(['m', 'bye'])
    expect(b.events).toEqual([{ type: 'bye', id: undefined, data: '{"reason":"shutdown"}' }])
    expect(a.res.complete).toBe(true) // a clean end of the chunked body, not a reset
    expect(hub.clientCount()).toBe(0)
    const refused = await new Promise<http.IncomingMessage>((resolve) => http.get(url('c'), resolve))
    expect(refused.statusCode).toBe(503)
    refused.resume()
    await expect(hub.publish('c', 'm', 2)).rejects.toThrow(/closed/)
  })

  it('close() cuts off a client that does not read its last bytes after timeoutMs', async () => {
    const { hub, srv } = await setup({ maxQueueBytes: 64 * 1024 * 1024 })
    const stuck = net.connect({ port: srv.port, host: '127.0.0.1' })
    stuck.on('error', () => {})
    stuck.write('GET /rooms/k HTTP/1.1\r\nHost: x\r\n\r\n')
    stuck.pause()
    cleanups.push(() => stuck.destroy())
    await until(() => hub.clientCount('k') === 1)
    const pad = 'p'.repeat(512 * 1024)
    for (let i = 0; i < 24; i++) await hub.publish('k', 'm', { pad }) // 12 MB: more than the socket buffers hold
    expect(hub.stats().queuedBytes).toBeGreaterThan(0)
    const started = Date.now()
    await hub.close({ timeoutMs: 200 })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(hub.clientCount()).toBe(0)
    // The server destroyed its end: once the client reads again, its socket closes.
    stuck.resume()
    await until(() => stuck.closed, 5000, 'the socket to be cut')
  })

  it('forgets clients that leave, with the reason, and keeps per-room counts', async () => {
    const reasons: string[] = []
    const { hub, url } = await setup({ onDisconnect: (c, reason) => reasons.push(`${c.room}:${reason}`) })
    const a = await rawClient(url('one'))
    const b = await rawClient(url('two'))
    const c = await rawClient(url('two'))
    await until(() => hub.clientCount() === 3)
    expect(hub.stats().perRoom).toEqual({ one: 1, two: 2 })
    expect(hub.rooms().sort()).toEqual(['one', 'two'])
    a.close()
    await until(() => hub.clientCount('one') === 0)
    await hub.closeRoom('two')
    expect(hub.clientCount()).toBe(0)
    await Promise.all([b.ended, c.ended])
    expect(reasons.sort()).toEqual(['one:disconnect', 'two:closed', 'two:closed'])
    expect(hub.stats()).toMatchObject({ rooms: 0, clients: 0, connections: 3, disconnections: 3 })
  })

  it('serves the same stream through res.write when direct writes are off, and to HTTP/1.0 clients', async () => {
    const { hub, url, srv } = await setup({ directWrites: false })
    const c = await rawClient(url('w'))
    cleanups.push(() => c.close())
    const old = net.connect({ port: srv.port, host: '127.0.0.1' })
    cleanups.push(() => old.destroy())
    let raw = ''
    old.setEncoding('utf8').on('data', (d: string) => (raw += d))
    old.write('GET /rooms/w HTTP/1.0\r\n\r\n')
    await until(() => hub.clientCount('w') === 2)
    await hub.publish('w', 'm', { a: 1 })
    await hub.publish('w', 'm', { a: 2 })
    expect(datas(await c.waitFor(2))).toEqual([{ a: 1 }, { a: 2 }])
    await until(() => raw.includes('data: {"a":2}'))
    expect(raw).not.toMatch(/transfer-encoding/i)
    expect(raw).toContain('id: 1\ndata: {"a":1}\n\nevent: m\nid: 2\ndata: {"a":2}\n\n')
  })

  it('replays a long backlog without dropping the resuming client', async () => {
    const { hub, url } = await setup({ maxQueueBytes: 64 * 1024, replay: { startSeq: 0, maxEntries: 2000 } })
    const pad = 'y'.repeat(8000)
    // ~12 MB of backlog: more than loopback socket buffers take at once, so the replay must wait for drains.
    for (let i = 1; i <= 1500; i++) await hub.publish('b', 'm', { i, pad })
    const c = await rawClient(url('b'), { 'last-event-id': '0' })
    cleanups.push(() => c.close())
    c.res.pause()
    await sleep(200)
    c.res.resume()
    await until(() => c.events.length === 1500 || hub.stats().droppedSlowClients > 0, 10_000, 'the replay')
    expect(hub.stats().droppedSlowClients).toBe(0)
    expect(c.events.map((e) => JSON.parse(e.data).i)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1))
  })

  it('trims the replay log by age: an id older than maxAgeMs gets reset', async () => {
    const { hub, url } = await setup({ replay: { startSeq: 0, maxAgeMs: 100 } })
    await hub.publish('t', 'm', 1)
    await hub.publish('t', 'm', 2)
    const fresh = await rawClient(url('t'), { 'last-event-id': '1' })
    cleanups.push(() => fresh.close())
    expect((await fresh.waitFor(1))[0]).toMatchObject({ type: 'm', id: '2' })
    await sleep(150)
    await hub.publish('t', 'm', 3)
    const late = await rawClient(url('t'), { 'last-event-id': '1' })
    cleanups.push(() => late.close())
    expect((await late.waitFor(1))[0]).toMatchObject({ type: 'reset', id: '3' })
  })
})

describe('routing', () => {
  it('routes stream paths to the hub before Express and everything else to Express', async () => {
    const hub = createHub({ replay: { startSeq: 0 } })
    const app = express()
    app.get('/api/hello', (_req, res) => {
      res.json({ ok: true })
    })
    const streams = hub.route((_req, url) => /^\/api\/stations\/([^/]+)\/events$/.exec(url.pathname)?.[1])
    const srv = await listen(() => {}, http.createServer((req, res) => streams(req, res) || app(req, res)))
    cleanups.push(() => srv.close(), () => hub.close({ timeoutMs: 100 }))
    const c = await rawClient(`${srv.url}/api/stations/ambient/events`)
    cleanups.push(() => c.close())
    await until(() => hub.clientCount('ambient') === 1)
    await hub.publish('ambient', 'm', 1)
    expect((await c.waitFor(1))[0].data).toBe('1')
    expect(await (await fetch(`${srv.url}/api/hello`)).json()).toEqual({ ok: true })
    expect((await fetch(`${srv.url}/api/stations/ambient/events`, { method: 'POST' })).status).toBe(404)
  })

  it('serves streams from an Express route with hub.express()', async () => {
    const hub = createHub({ replay: { startSeq: 0 } })
    const app = express()
    app.get('/rooms/:id/events', hub.express((req: express.Request) => (req.params.id === 'nope' ? undefined : String(req.params.id))))
    const srv = await listen(app)
    cleanups.push(() => srv.close(), () => hub.close({ timeoutMs: 100 }))
    const { events } = collect(`${srv.url}/rooms/jazz/events`, ['m'])
    await until(() => hub.clientCount('jazz') === 1)
    await hub.publish('jazz', 'm', { x: 1 })
    await until(() => events.length === 1)
    expect(events[0]).toEqual({ type: 'm', id: '1', data: '{"x":1}' })
    expect((await fetch(`${srv.url}/rooms/nope/events`)).status).toBe(404)
  })
})

describe('fan-out', () => {
  it('slices a long fan-out across event-loop turns, keeping each client in order', async () => {
    const { hub, url } = await setup({ fanoutSliceMs: 0 })
    const clients = await Promise.all(Array.from({ length: 100 }, () => rawClient(url('slice'))))
    cleanups.push(() => clients.forEach((c) => c.close()))
    await until(() => hub.clientCount('slice') === 100)
    const ids = await Promise.all([1, 2, 3].map((i) => hub.publish('slice', 'm', i)))
    expect(ids).toEqual(['1', '2', '3'])
    // Only the first slice (16 writes) went out synchronously; the rest follows on later turns.
    expect(hub.stats().delivered).toBeLessThan(300)
    let turns = 0
    const counter = setInterval(() => turns++, 0)
    await until(() => hub.stats().delivered === 300)
    clearInterval(counter)
    expect(turns).toBeGreaterThan(0)
    for (const c of clients) expect(datas(await c.waitFor(3))).toEqual([1, 2, 3])
  })

  it('1,000 concurrent SSE clients each receive every message, in order', async () => {
    const { hub, srv } = await setup()
    const n = 1000
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity })
    const counts = new Int32Array(n)
    const bad: string[] = []
    const reqs: http.ClientRequest[] = []
    await Promise.all(
      Array.from(
        { length: n },
        (_, k) =>
          new Promise<void>((resolve, reject) => {
            const req = http.get(`${srv.url}/rooms/big`, { agent }, (res) => {
              let buf = ''
              res.setEncoding('utf8')
              res.on('data', (chunk: string) => {
                buf += chunk
                let end: number
                while ((end = buf.indexOf('\n\n')) >= 0) {
                  const block = buf.slice(0, end)
                  buf = buf.slice(end + 2)
                  const m = /^id: (\d+)$/m.exec(block)
                  if (!m) continue
                  if (Number(m[1]) !== counts[k] + 1) bad.push(`${k}: ${m[1]} after ${counts[k]}`)
                  counts[k] = Number(m[1])
                }
              })
              resolve()
            })
            req.on('error', reject)
            reqs.push(req)
          }),
      ),
    )
    cleanups.push(() => reqs.forEach((r) => r.destroy()))
    await until(() => hub.clientCount('big') === n, 10_000, 'all clients joined')
    const messages = 20
    const payload = { section: 'z'.repeat(3000) }
    for (let i = 0; i < messages; i++) {
      await hub.publish('big', 'section', payload)
      await sleep(20)
    }
    await until(() => counts.every((c) => c === messages), 10_000, 'every client has every message')
    expect(bad).toEqual([])
    expect(hub.stats().delivered).toBe(n * messages)
    expect(hub.stats().droppedSlowClients).toBe(0)
  }, 30_000)
})
