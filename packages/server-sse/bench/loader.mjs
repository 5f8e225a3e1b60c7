// Load client process: opens `count` SSE connections with plain http.get and measures every message's lag
// (receive time minus the publish time embedded in the payload, both on the same machine clock).
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { createLagReader } from './lag-reader.mjs'

const [port, count, concurrency = '256'] = process.argv.slice(2).map(Number)
const HIST_BUCKETS = 100_000 // 0.1 ms buckets up to 10 s
const hist = new Uint32Array(HIST_BUCKETS + 1)
const conns = []
let connected = 0
let failed = 0
let received = 0
let outOfOrder = 0
/** Messages before this seq (the warm-up) are checked for order but not measured. */
let firstSeq = 0
/** Largest lag per message seq. */
let perSeqMax = []

function onMessage(conn, seq, time, now) {
  if (seq !== conn.last + 1) outOfOrder++
  conn.last = seq
  if (seq < firstSeq) return
  conn.received++
  received++
  const lag = now - time
  if (lag > (perSeqMax[seq] ?? -Infinity)) perSeqMax[seq] = lag
  hist[Math.min(HIST_BUCKETS, Math.max(0, Math.round(lag * 10)))]++
}

function open() {
  return new Promise((resolve) => {
    const conn = { last: 0, received: 0, req: undefined }
    const read = createLagReader((seq, time) => onMessage(conn, seq, time, performance.timeOrigin + performance.now()))
    conn.req = http.get({ host: '127.0.0.1', port, path: '/events', agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        failed++
        res.resume()
        return resolve()
      }
      conns.push(conn)
      connected++
      res.on('data', read)
      res.on('error', () => {})
      resolve()
    })
    conn.req.on('error', () => {
      failed++
      resolve()
    })
  })
}

async function connectAll() {
  let next = 0
  const worker = async () => {
    while (next < count) {
      next++
      await open()
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}

const progress = setInterval(() => process.send({ type: 'progress', connected, failed }), 250)
let cpu0 = process.cpuUsage()
let t0 = performance.now()
await connectAll()
clearInterval(progress)
process.send({ type: 'connected', connected, failed })

process.on('message', (msg) => {
  if (msg.type === 'reset') {
    firstSeq = msg.firstSeq
    hist.fill(0)
    cpu0 = process.cpuUsage()
    t0 = performance.now()
    received = 0
    outOfOrder = 0
    perSeqMax = []
    // Sequence checks carry on across the reset (the warm-up messages came first).
    for (const c of conns) c.received = 0
    return process.send({ type: 'reset-done' })
  }
  if (msg.type !== 'report') return
  void report(msg)
})

/** Waits for every message (or 5 s without progress), then reports. */
async function report(msg) {
  const expected = conns.length * msg.published
  let last = -1
  let still = 0
  while (received < expected && still < 50) {
    await new Promise((r) => setTimeout(r, 100))
    still = received === last ? still + 1 : 0
    last = received
  }
  const cpu = process.cpuUsage(cpu0)
  const complete = conns.filter((c) => c.received >= msg.published).length
  process.send({
    type: 'report',
    connected,
    failed,
    received,
    complete,
    outOfOrder,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - t0,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    perSeqMax,
    // Sparse histogram: [bucket, count] pairs.
    hist: Array.from(hist.entries()).filter(([, n]) => n > 0),
  })
}
