// `pnpm bench`: renders a 60 s ambient and a 60 s jazz score with the synth-core CPU engine and with
// Tone.js (Tone.Offline on node-web-audio-api), and reports render time, real-time factor and the ratio.
// Times are wall clock and process CPU time (user + system, all threads — node-web-audio-api renders on
// its own thread); the ratio uses CPU time, which is robust to other load on the machine.
import { renderOfflineSync } from '../dist/index.js'
import { loadScores } from './scores.mjs'
import { loadTone, renderWithTone } from './tone-baseline.mjs'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60)
const TAIL = 2.5

function cpuMs() {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function peakDb(channels) {
  let p = 0
  for (const c of channels) for (let i = 0; i < c.length; i++) { const a = Math.abs(c[i]); if (a > p) p = a }
  return 20 * Math.log10(p)
}

async function time(fn) {
  const w0 = performance.now()
  const c0 = cpuMs()
  const result = await fn()
  return { result, wall: performance.now() - w0, cpu: cpuMs() - c0 }
}

const scores = await loadScores(SECONDS)
console.log(`synth-core bench — scores: ${scores.source}; Node ${process.version}`)
const rows = []
// Warm up the JIT on a short render (not timed).
renderOfflineSync(scores.jazz.slice(0, 4), { tail: 0.5 })
await loadTone()

for (const style of ['ambient', 'jazz']) {
  const sections = scores[style]
  const events = sections.reduce((n, s) => n + s.events.length, 0)
  const ours = await time(() => renderOfflineSync(sections, { tail: TAIL }))
  const seconds = ours.result.channels[0].length / ours.result.sampleRate
  const tone = await time(() => renderWithTone(sections, seconds))
  rows.push({
    style, events, seconds,
    oursWall: ours.wall, oursCpu: ours.cpu, oursPeak: peakDb(ours.result.channels),
    toneWall: tone.wall, toneCpu: tone.cpu,
  })
}

const f1 = (x) => x.toFixed(1)
console.log('')
console.log('| score | events | audio (s) | synth-core CPU ms (wall) | × real time | Tone.Offline CPU ms (wall) | × real time | speed-up (CPU) | speed-up (wall) |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const r of rows) {
  console.log(`| ${r.style} | ${r.events} | ${f1(r.seconds)} | ${r.oursCpu.toFixed(0)} (${r.oursWall.toFixed(0)}) | ${f1((r.seconds * 1000) / r.oursCpu)} | ${r.toneCpu.toFixed(0)} (${r.toneWall.toFixed(0)}) | ${f1((r.seconds * 1000) / r.toneCpu)} | ${f1(r.toneCpu / r.oursCpu)}× | ${f1(r.toneWall / r.oursWall)}× |`)
}
const worst = Math.min(...rows.map((r) => r.toneCpu / r.oursCpu))
console.log('')
console.log(`synth-core peak: ${rows.map((r) => `${r.style} ${r.oursPeak.toFixed(2)} dBFS`).join(', ')} (limiter ceiling −1 dBFS)`)
console.log(`goal ≥ 5× Tone.Offline: ${worst >= 5 ? 'met' : 'NOT met'} (worst ${worst.toFixed(1)}×)`)
process.exit(0) // node-web-audio-api keeps a handle open
