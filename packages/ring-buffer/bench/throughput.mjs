// Throughput of @auralis/ring-buffer vs ringbuf.js, side by side in one run: Float32 stereo, a producer worker
// pushing 128-frame or 4,096-frame chunks (and 128-frame planar blocks, the AudioWorklet path), the main thread
// popping the same. Alternating rounds; medians, best runs and per-round ratios reported. Then: allocation in
// steady state (heap growth and GC count over millions of calls).
// Run after `pnpm build`: `node --expose-gc bench/throughput.mjs` (the package's `bench` script does this).
import { cpus, loadavg } from 'node:os'
import { Worker } from 'node:worker_threads'
import { PerformanceObserver } from 'node:perf_hooks'
import { impls } from './impls.mjs'
import { RingBuffer } from '../dist/index.js'

const CHANNELS = 2
const ROUNDS = Number(process.env.ROUNDS ?? 11)
const SECONDS = Number(process.env.SECONDS_PER_RUN ?? 0.25)
// Ring size in elements: 1 s of 48 kHz stereo, a realistic streaming buffer (override with RING=…).
const RING = Number(process.env.RING ?? 96_000)

/** One timed run: a producer worker and this thread as consumer move `total` elements; returns elements/s. */
async function run(impl, mode, frames, total) {
  const chunk = frames * CHANNELS
  const capacity = Math.max(RING, chunk * 4) // elements; ≥ 4 chunks so both sides can work at once
  const buffer = impls[impl].create(capacity)
  const control = new SharedArrayBuffer(16)
  const ctl = new Int32Array(control)
  const pop = impls[impl].consumer(buffer, mode, chunk)
  const worker = new Worker(new URL('./producer.mjs', import.meta.url), { workerData: { impl, mode, buffer, control, chunk, total } })
  const done = new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  while (Atomics.load(ctl, 0) === 0) await new Promise((r) => setTimeout(r, 1))
  let got = 0
  const t0 = performance.now()
  Atomics.store(ctl, 1, 1)
  let idle = 0
  while (got < total) {
    const k = pop(total - got)
    got += k
    if (k === 0 && ++idle > 64) {
      Atomics.wait(ctl, 3, 0, 0.02) // the same back-off as the producer's
      idle = 0
    } else if (k !== 0) idle = 0
  }
  const seconds = (performance.now() - t0) / 1000
  await done
  await worker.terminate()
  return total / seconds
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const fmt = (x) => (x / 1e6).toFixed(0)

/** Same thread, no contention: push a chunk then pop it, `iterations` times; returns elements/s. */
function sameThread(impl, mode, frames, iterations) {
  const chunk = frames * CHANNELS
  const buffer = impls[impl].create(Math.max(RING, chunk * 4))
  const push = impls[impl].producer(buffer, mode, chunk)
  const pop = impls[impl].consumer(buffer, mode, chunk)
  const t0 = performance.now()
  for (let i = 0; i < iterations; i++) {
    push(chunk)
    pop(chunk)
  }
  return (iterations * chunk) / ((performance.now() - t0) / 1000)
}

const scenarios = [
  { mode: 'interleaved', frames: 128, title: '128-frame interleaved push/pop' },
  { mode: 'interleaved', frames: 4096, title: '4,096-frame interleaved push/pop' },
  { mode: 'planar', frames: 128, title: '128-frame planar blocks (pushFrames/popFrames vs interleave+push/pop+deinterleave)' },
]
console.log(
  `Float32 stereo; Node ${process.version}; ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at start; ${ROUNDS} rounds, ours and ringbuf.js back to back in each (order alternating).\n` +
    `Ring of ${RING} elements. Two threads: producer in a worker_threads worker, consumer on the main thread. Same thread: push then pop.\n` +
    'Reported: median throughput, best run, and the median of the per-round ratios (robust on a shared machine).',
)
for (const { mode, frames, title } of scenarios) {
  // Size the run from a short probe so each measurement lasts about SECONDS.
  const unit = frames * CHANNELS
  const probe = await run('ours', mode, frames, unit * 2000)
  const total = Math.max(unit * 2000, Math.round((probe * SECONDS) / unit) * unit)
  const results = { ours: [], 'ringbuf.js': [] }
  const ratios = []
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? ['ringbuf.js', 'ours'] : ['ours', 'ringbuf.js']
    for (const impl of order) results[impl].push(await run(impl, mode, frames, total))
    ratios.push(results.ours[round] / results['ringbuf.js'][round])
  }
  const single = { ours: [], 'ringbuf.js': [] }
  const iterations = Math.max(2000, Math.round(2e7 / unit))
  for (let round = 0; round < 5; round++) for (const impl of ['ours', 'ringbuf.js']) single[impl].push(sameThread(impl, mode, frames, iterations))
  console.log(`\n${title}`)
  for (const impl of ['ours', 'ringbuf.js']) {
    const xs = results[impl]
    console.log(
      `  ${impl.padEnd(10)}  two threads: median ${fmt(median(xs)).padStart(5)} M elem/s (${fmt(median(xs) * 4).padStart(5)} MB/s), ` +
        `best ${fmt(Math.max(...xs)).padStart(5)} M elem/s   same thread: ${fmt(median(single[impl])).padStart(5)} M elem/s`,
    )
  }
  console.log(
    `  ratio ours/ringbuf.js — two threads: ${median(ratios).toFixed(2)}× (median of per-round ratios; ` +
      `best/best ${(Math.max(...results.ours) / Math.max(...results['ringbuf.js'])).toFixed(2)}×), ` +
      `same thread: ${(median(single.ours) / median(single['ringbuf.js'])).toFixed(2)}×`,
  )
}
console.log('')

// Allocation in steady state: one thread, many push/pop/pushFrames/popFrames/peek, with underruns and overruns.
{
  const gcs = []
  const obs = new PerformanceObserver((list) => gcs.push(...list.getEntries()))
  obs.observe({ entryTypes: ['gc'] })
  const rb = RingBuffer.create(4096 * CHANNELS, Float32Array)
  const chunk = new Float32Array(128 * CHANNELS)
  const out = new Float32Array(128 * CHANNELS)
  const L = new Float32Array(128)
  const R = new Float32Array(128)
  const planar = [L, R]
  const step = (i) => {
    rb.push(chunk)
    rb.push(chunk, 100, 3)
    rb.pushFrames(planar, 128)
    if (i % 3 === 0) { rb.push(chunk); rb.push(chunk) } // sometimes more than is popped: overruns once full
    rb.peek(out, 64)
    rb.pop(out)
    rb.pop(out, 100, 3)
    rb.popFrames(planar, 128)
    if (i % 5 === 0) rb.pop(out) // sometimes more than was pushed: underruns
  }
  for (let i = 0; i < 200_000; i++) step(i) // warm up: let the JIT settle
  const ops = 2_000_000
  globalThis.gc?.()
  await new Promise((r) => setTimeout(r, 50))
  gcs.length = 0
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < ops; i++) step(i)
  const after = process.memoryUsage().heapUsed
  await new Promise((r) => setTimeout(r, 50))
  obs.disconnect()
  const calls = ops * 8.2
  console.log(
    `steady state, one thread: ${(calls / 1e6).toFixed(1)} M ring calls, heapUsed ${after - before >= 0 ? '+' : ''}${after - before} bytes ` +
      `(${((after - before) / calls).toFixed(4)} B/call), ${gcs.length} GC events` +
      (globalThis.gc ? '' : ' (run with --expose-gc for a clean baseline)') +
      `; overruns ${rb.overruns}, underruns ${rb.underruns}`,
  )
}
