// `pnpm bench`: renders a 60 s ambient and a 60 s jazz score with the synth-core CPU engine and with
// Tone.js (Tone.Offline on node-web-audio-api, the seeds' renderer), and reports render time, real-time
// factor and the speed ratio.
//
// Times are process CPU time (user + system, all threads: node-web-audio-api renders on its own thread),
// which is robust to other load on the machine; wall time is shown too. Tone.js renders far slower than
// real time here, so to keep the bench short it renders the first BENCH_TONE_SECONDS (default 20) of each
// score and the ratio compares real-time factors. Tone's cost per second grows over a render (PolySynth
// voices stay in the graph), so a prefix understates it: the ratio is conservative. BENCH_TONE_SECONDS=60
// renders the whole scores with Tone too (several minutes).
import { renderOfflineSync } from '../dist/index.js'
import { loadScores } from './scores.mjs'
import * as toneBaseline from './tone-baseline.mjs'

const { loadTone, renderWithTone } = toneBaseline

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60)
const TONE_SECONDS = Math.min(SECONDS, Number(process.env.BENCH_TONE_SECONDS ?? 20))
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

/** Sections starting before `seconds`, events cut at `seconds`. */
function prefix(sections, seconds) {
  const origin = Math.min(...sections.map((s) => s.startTime))
  return sections
    .filter((s) => s.startTime - origin < seconds)
    .map((s) => ({ ...s, events: s.events.filter((e) => s.startTime - origin + e.t < seconds) }))
}

const scores = await loadScores(SECONDS)
const rows = []
console.log(`synth-core bench — scores: ${scores.source}; Node ${process.version}`)
// Warm up the JIT on a short render (not timed).
renderOfflineSync(scores.jazz.slice(0, 4), { tail: 0.5 })
await loadTone()

for (const style of ['ambient', 'jazz']) {
  const sections = scores[style]
  const events = sections.reduce((n, s) => n + s.events.length, 0)
  const ours = await time(() => renderOfflineSync(sections, { tail: TAIL }))
  const seconds = ours.result.channels[0].length / ours.result.sampleRate
  const tonePart = prefix(sections, TONE_SECONDS)
  const toneSeconds = TONE_SECONDS >= SECONDS ? seconds : TONE_SECONDS
  const tone = await time(() => renderWithTone(tonePart, toneSeconds))
  rows.push({
    style, events, seconds, toneSeconds,
    oursWall: ours.wall, oursCpu: ours.cpu, oursPeak: peakDb(ours.result.channels),
    toneWall: tone.wall, toneCpu: tone.cpu, toneDropped: toneBaseline.droppedNotes,
  })
  process.stdout.write(`  ${style}: done\n`)
}

const f1 = (x) => x.toFixed(1)
console.log('')
console.log('| score | events | synth-core: audio s, CPU ms (wall ms) | × real time | Tone.Offline: audio s, CPU ms (wall ms) | × real time | speed-up |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const r of rows) {
  const ours = (r.seconds * 1000) / r.oursCpu
  const tone = (r.toneSeconds * 1000) / r.toneCpu
  r.speedup = ours / tone
  console.log(`| ${r.style} | ${r.events} | ${f1(r.seconds)} s, ${r.oursCpu.toFixed(0)} (${r.oursWall.toFixed(0)}) | ${f1(ours)} | ${f1(r.toneSeconds)} s, ${r.toneCpu.toFixed(0)} (${r.toneWall.toFixed(0)}) | ${f1(tone)} | ${f1(r.speedup)}× |`)
}
const worst = Math.min(...rows.map((r) => r.speedup))
console.log('')
console.log(`synth-core peak: ${rows.map((r) => `${r.style} ${r.oursPeak.toFixed(2)} dBFS`).join(', ')} (limiter ceiling −1 dBFS)`)
const dropped = rows.filter((r) => r.toneDropped > 0)
if (dropped.length) console.log(`Tone dropped notes (max polyphony 64): ${dropped.map((r) => `${r.style} ${r.toneDropped}`).join(', ')}`)
console.log(`goal ≥ 5× Tone.Offline: ${worst >= 5 ? 'met' : 'NOT met'} (worst ${worst.toFixed(1)}×)`)
process.exit(0) // node-web-audio-api keeps a handle open
