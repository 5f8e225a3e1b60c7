// Heap after 100 vs after 10,000 composed sections (no growth expected), and per-section timings
// (median, p99) measured one section at a time. Run against the built package: `node --expose-gc bench/heap.mjs`.
import { createComposer } from '../dist/index.js'

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc')
  process.exit(1)
}

function heapAfter(composer, n) {
  for (let i = 0; i < n; i++) composer.next()
  globalThis.gc()
  globalThis.gc()
  return process.memoryUsage().heapUsed
}

const mb = (b) => `${(b / 1048576).toFixed(2)} MB`
const rows = []
for (const style of ['ambient', 'jazz']) {
  const c = createComposer({ style, seed: 7, key: 'D', mode: 'dorian', bpm: 120, intensity: 0.6 })
  const h100 = heapAfter(c, 100)
  const h10k = heapAfter(c, 9_900)
  const times = []
  for (let i = 0; i < 5_000; i++) {
    const t0 = performance.now()
    c.next()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const ms = (x) => `${(x * 1000).toFixed(0)} µs`
  const json = JSON.stringify(c.next())
  const tj = []
  for (let i = 0; i < 5_000; i++) {
    const t0 = performance.now()
    JSON.parse(json)
    tj.push(performance.now() - t0)
  }
  tj.sort((a, b) => a - b)
  rows.push({
    style,
    'heap @100': mb(h100),
    'heap @10k': mb(h10k),
    growth: mb(h10k - h100),
    'median/section': ms(times[2500]),
    'p99/section': ms(times[4950]),
    'baseline: JSON.parse(section) median': ms(tj[2500]),
  })
}
console.table(rows)
