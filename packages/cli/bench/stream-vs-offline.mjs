import { composeSections } from '../dist/index.js'
import { renderOffline, createStreamRenderer } from '@auralis/synth-core'
const music = { style: process.argv[2] ?? 'jazz', seed: 7, key: 'C', mode: 'ionian', bpm: 140, intensity: 0.5 }
const secs = composeSections(music, 20)
let t0 = performance.now()
const off = await renderOffline(secs, { sampleRate: 48000, seed: 7 })
console.log('offline', (performance.now() - t0).toFixed(0), 'ms')
for (const bs of [128, 1024, 8192]) {
  t0 = performance.now()
  const r = createStreamRenderer({ sampleRate: 48000, seed: 7, origin: 0 })
  r.schedule(secs)
  for (let p = 0; p < 20 * 48000; p += bs) r.render(Math.min(bs, 20 * 48000 - p))
  console.log('stream', bs, (performance.now() - t0).toFixed(0), 'ms')
}
