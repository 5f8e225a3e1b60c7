// Render speed and memory of `auralis render` to WAV (the CLI's streamed pipeline) against a baseline in the
// same run: synth-core's offline render of the same score, encoded with encodeWav and written in one go.
// Each case runs in its own Node process (so peak RSS is its own); speed = seconds of audio / wall seconds.
//   node bench/render-speed.mjs [seconds=60] [styles=jazz,ambient]
// Needs a build (pnpm build). Prints a Markdown table.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const seconds = Number(process.argv[2] ?? 60)
const styles = (process.argv[3] ?? 'jazz,ambient').split(',')
const MUSIC = {
  jazz: { style: 'jazz', seed: 7, key: 'C', mode: 'ionian', bpm: 140, intensity: 0.5 },
  ambient: { style: 'ambient', seed: 7, key: 'C', mode: 'lydian', bpm: 70, intensity: 0.5 },
}

const child = String.raw`
const [mode, musicJson, seconds, out, dist] = process.argv.slice(1)
const music = JSON.parse(musicJson)
const cli = await import(dist)
const synth = await import('@auralis/synth-core')
const { writeFile } = await import('node:fs/promises')
const job = { ...music, seconds: Number(seconds), out, format: 'wav', sampleRate: 48000, channels: 2, bitDepth: 16 }
const t0 = performance.now()
const c0 = process.cpuUsage()
if (mode === 'stream') {
  await cli.renderToFile(job)
} else {
  const total = Math.round(job.seconds * 48000)
  const r = await synth.renderOffline(cli.composeSections(music, job.seconds), { sampleRate: 48000, channels: 2, seed: music.seed })
  const cut = r.channels.map((c) => c.slice(0, total))
  cli.applyFadeOut(cut, 0, total, cli.fadeFrames(total, 48000))
  await writeFile(out, synth.encodeWav({ channels: cut, sampleRate: 48000 }, { bitDepth: 16 }))
}
const ms = performance.now() - t0
const c = process.cpuUsage(c0)
console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }))
`

const root = join(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'auralis-bench-'))
const rows = []
try {
  for (const style of styles) {
    const res = {}
    for (const mode of ['offline', 'stream']) {
      const out = join(dir, `${style}-${mode}.wav`)
      const args = ['--input-type=module', '-e', child, mode, JSON.stringify(MUSIC[style]), String(seconds), out, join(root, 'dist', 'index.js')]
      const stdout = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' })
      res[mode] = JSON.parse(stdout.trim().split('\n').at(-1))
    }
    rows.push({ style, ...res })
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

console.log(`| ${seconds} s score | offline + encodeWav (baseline): wall, CPU | auralis render (streamed): wall, CPU | streamed / baseline (CPU) | peak RSS baseline → streamed |`)
console.log('|---|---|---|---|---|')
for (const r of rows) {
  const x = (ms) => (seconds / (ms / 1000)).toFixed(1)
  const cell = (m) => `${(m.ms / 1000).toFixed(2)} s = ${x(m.ms)}×, CPU ${(m.cpuMs / 1000).toFixed(2)} s = ${x(m.cpuMs)}×`
  console.log(`| ${r.style} | ${cell(r.offline)} | ${cell(r.stream)} | ` +
    `${(r.offline.cpuMs / r.stream.cpuMs).toFixed(2)} | ${r.offline.maxRssMb.toFixed(0)} MB → ${r.stream.maxRssMb.toFixed(0)} MB |`)
}
