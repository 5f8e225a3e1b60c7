// Load client process: opens `count` SSE connections with plain http.get and measures every message's lag
// (receive time minus the publish time embedded in the payload, both on the same machine clock).
import http from 'node:http'
import { performance } from 'node:perf_hooks'

const [port, count, concurrency = '256'] = process.argv.slice(2).map(Number)
const MARK = Buffer.from('{"s":')
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

/** Reads an ASCII number at `i`; returns [value, indexAfter] or undefined if the buffer ends first. */
function number(buf, i) {
  let j = i
  while (j < buf.length && ((buf[j] >= 48 && buf[j] <= 57) || buf[j] === 46)) j++
  if (j >= buf.length) return undefined
  return [Number(buf.latin1Slice(i, j)), j]
}

/** Handles one `{"s":SEQ,"t":TIME,` marker starting at `i`; returns false if it is cut by the buffer end. */
function marker(conn, buf, i, now) {
  const s = number(buf, i + MARK.length)
  if (!s) return false
  const tAt = s[1] + 5 // ,"t":
  if (tAt >= buf.length) return false
  const t = number(buf, tAt)
  if (!t) return false
  const seq = s[0]
  if (seq !== conn.last + 1) outOfOrder++
  conn.last = seq
  if (seq < firstSeq) return true
  conn.received++
  received++
  const lag = now - t[0]
  if (lag > (perSeqMax[seq] ?? -Infinity)) perSeqMax[seq] = lag
  hist[Math.min(HIST_BUCKETS, Math.max(0, Math.round(lag * 10)))]++
  return true
}

function onData(conn, chunk) {
  const now = performance.timeOrigin + performance.now()
  // A marker cut in two by the previous chunk: join the tail and the head, handle only markers that start
  // in the tail (complete ones there were handled already).
  if (conn.tail) {
    const joined = Buffer.concat([conn.tail, chunk.subarray(0, 64)])
    for (let i = joined.indexOf(MARK); i >= 0 && i < conn.tail.length; i = joined.indexOf(MARK, i + 1)) {
      if (conn.tailDone.has(i)) continue
      marker(conn, joined, i, now)
    }
  }
  conn.tail = undefined
  const tailStart = Math.max(0, chunk.length - 64)
  let done
  for (let i = chunk.indexOf(MARK); i >= 0; i = chunk.indexOf(MARK, i + 1)) {
    const ok = marker(conn, chunk, i, now)
    if (ok && i >= tailStart) (done ??= new Set()).add(i - tailStart)
  }
  conn.tail = Buffer.from(chunk.subarray(tailStart))
  conn.tailDone = done ?? EMPTY
}
const EMPTY = new Set()

function open() {
  return new Promise((resolve) => {
    const conn = { last: 0, received: 0, tail: undefined, tailDone: EMPTY, req: undefined }
    conn.req = http.get({ host: '127.0.0.1', port, path: '/events', agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        failed++
        res.resume()
        return resolve()
      }
      conns.push(conn)
      connected++
      res.on('data', (chunk) => onData(conn, chunk))
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
    return
  }
  if (msg.type !== 'report') return
  void report(msg)
})

/** Waits for every message (or 3 s without progress), then reports. */
async function report(msg) {
  const expected = conns.length * msg.published
  let last = -1
  let still = 0
  while (received < expected && still < 30) {
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
