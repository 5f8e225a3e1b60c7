// Bench server process: serves one room to N clients and publishes on command. One implementation per process:
//   hub        @auralis/server-sse, node:http front, direct socket writes (the default)
//   hub-res    @auralis/server-sse with directWrites: false (every frame through res.write)
//   hub-unsliced  @auralis/server-sse with fanoutSliceMs: Infinity (each fan-out in one synchronous loop)
//   better-sse better-sse's Channel.broadcast, as its docs use it
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { performance } from 'node:perf_hooks'

/** [voluntary, involuntary] context switches of this process so far (Linux), or undefined. */
function contextSwitches() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const get = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1])
    return [get('voluntary_ctxt_switches'), get('nonvoluntary_ctxt_switches')]
  } catch {
    return undefined
  }
}

const impl = process.argv[2] ?? 'hub'
let server
let publish
let count
/** The hub's own counters (undefined for better-sse). */
let stats = () => undefined
let diag = () => ({})
/** Fan-out duration of each message, in publication order (reset at the start of a run). */
let fanoutMs = []

if (impl === 'hub' || impl === 'hub-res' || impl === 'hub-unsliced') {
  const { createHub } = await import('../dist/index.js')
  const hub = createHub({
    directWrites: impl !== 'hub-res',
    fanoutSliceMs: impl === 'hub-unsliced' ? Infinity : undefined,
    replay: { maxEntries: 100 },
    onPublish: (_room, _entry, info) => fanoutMs.push(info.fanoutMs),
  })
  const route = hub.route((_req, url) => (url.pathname === '/events' ? 'bench' : undefined))
  server = http.createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end()
  })
  publish = (message) => void hub.publish('bench', 'section', message)
  count = () => hub.clientCount('bench')
  stats = () => hub.stats()
  diag = () => {
    // Internals, for a trial that missed messages: fan-outs still queued, clients waiting for 'drain'.
    const room = hub.roomMap?.get('bench')
    let waiting = 0
    for (const c of room?.clients ?? []) if (c.queue) waiting++
    return { jobs: room?.jobs?.length ?? 0, waiting }
  }
} else if (impl === 'better-sse') {
  const { createChannel, createSession } = await import('better-sse')
  const channel = createChannel()
  server = http.createServer(async (req, res) => {
    if (req.url !== '/events') return res.writeHead(404).end()
    const session = await createSession(req, res)
    channel.register(session)
  })
  publish = (message) => {
    const started = performance.now()
    channel.broadcast(message, 'section', { eventId: String(message.s) })
    // Its res.write calls are corked and reach the sockets in process.nextTick: count until they have.
    setImmediate(() => fanoutMs.push(performance.now() - started))
  }
  count = () => channel.sessionCount
} else {
  throw new Error(`unknown implementation ${impl}`)
}

/** A section-like payload of about `size` bytes of JSON: the seq and publish time first. */
function message(seq, size) {
  const notes = []
  const base = { s: seq, t: performance.timeOrigin + performance.now(), bpm: 96, key: 'D', mode: 'dorian', notes }
  let length = JSON.stringify(base).length
  for (let i = 0; length < size; i++) {
    const note = { t: (i * 0.125) % 4, d: 0.25, inst: ['pad', 'bass', 'keys', 'lead'][i % 4], note: 40 + (i % 40), vel: 64 + (i % 50) }
    notes.push(note)
    length += JSON.stringify(note).length + 1
  }
  return base
}

server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  process.send({ type: 'listening', port: server.address().port })
})

/** Resolves once `n` fan-outs of the current run have finished (or after `ms`). */
async function fannedOut(n, ms) {
  const end = performance.now() + ms
  while (fanoutMs.length < n && performance.now() < end) await new Promise((r) => setTimeout(r, 20))
}

let seq = 0
process.on('message', async (msg) => {
  if (msg.type === 'count') return process.send({ type: 'count', clients: count(), queuedBytes: stats()?.queuedBytes })
  if (msg.type === 'diag') return process.send({ type: 'diag', stats: stats(), ...diag() })
  if (msg.type === 'warmup') {
    // A few unmeasured messages first: steady state, not the first compile of the hot path.
    fanoutMs = []
    for (let i = 0; i < msg.count; i++) {
      publish(message(++seq, msg.size))
      await new Promise((r) => setTimeout(r, 1000 / msg.rate))
    }
    await fannedOut(msg.count, 30_000)
    return process.send({ type: 'warmed', nextSeq: seq + 1 })
  }
  if (msg.type !== 'run') return
  const { rate, size, seconds, graceMs } = msg
  const total = Math.round(rate * seconds)
  const first = seq
  const rssStart = process.memoryUsage().rss
  let rssMax = rssStart
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 100)
  const cpu0 = process.cpuUsage()
  const switches0 = contextSwitches()
  const t0 = performance.now()
  fanoutMs = []
  let sent = 0
  await new Promise((resolve) => {
    const tick = () => {
      sent++
      // Build the message at its scheduled time so `t` is the moment of publication.
      publish(message(++seq, size))
      if (sent % rate === 0) process.send({ type: 'progress', published: sent, total })
      if (sent >= total) return resolve()
      const next = t0 + (sent * 1000) / rate
      setTimeout(tick, Math.max(0, next - performance.now()))
    }
    tick()
  })
  // A fan-out longer than the publish interval queues up: wait for the last one, then the grace period.
  const lastPublish = performance.now()
  await fannedOut(total, 60_000)
  const drainMs = performance.now() - lastPublish
  await new Promise((r) => setTimeout(r, graceMs))
  clearInterval(sampler)
  const cpu = process.cpuUsage(cpu0)
  const switches1 = contextSwitches()
  const wallMs = performance.now() - t0
  rssMax = Math.max(rssMax, process.memoryUsage().rss)
  process.send({
    type: 'result',
    published: sent,
    firstSeq: first + 1,
    clients: count(),
    cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssStartMb: rssStart / 2 ** 20,
    rssMaxMb: rssMax / 2 ** 20,
    fanoutMs,
    drainMs,
    hubStats: stats(),
    switches: switches0 && switches1 ? [switches1[0] - switches0[0], switches1[1] - switches0[1]] : undefined,
  })
})
