import { loadScores } from '/work/main/packages/synth-core/bench/scores.mjs'
import { loadTone, renderWithTone } from '/work/main/packages/synth-core/bench/tone-baseline.mjs'
const secs = Number(process.argv[2] ?? 10)
const style = process.argv[3] ?? 'jazz'
const scores = await loadScores(secs)
await loadTone()
const c0 = process.cpuUsage(); const w0 = performance.now()
const buf = await renderWithTone(scores[style].filter(s => s.startTime < secs), secs)
const c = process.cpuUsage(c0)
console.log(style, secs, 's: wall', (performance.now() - w0).toFixed(0), 'ms cpu', ((c.user + c.system) / 1000).toFixed(0), 'ms', buf.length)
process.exit(0)
