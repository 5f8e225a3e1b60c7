/**
 * Load figures of audio-mode streaming, measured on the real demo server in this process: CPU of one
 * Opus audio station (render worker + encoder + publishing, no listeners), and the added CPU of N raw SSE
 * listeners (plain node:http clients in a child process, so their own parsing is not counted), from which
 * the listeners one core serves follows. The test asserts what the listeners received (every one got the
 * same audio chunks); the figures are logged for docs/performance.md.
 */
import { spawn } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { startTestServer } from '../src/stream-test-support.js'
import type { RunningServer } from '../src/server.js'

const LISTENERS = 300
const WINDOW_MS = 8000
let running: RunningServer | undefined
afterAll(async () => { await running?.close() })

/** Process CPU (user + system, all threads: the render worker included) over `ms`, as a fraction of one core. */
async function cpuOver(ms: number): Promise<number> {
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  await new Promise((r) => setTimeout(r, ms))
  const c = process.cpuUsage(c0)
  return (c.user + c.system) / (Number(process.hrtime.bigint() - t0) / 1000)
}

/** Child process: N raw HTTP SSE clients; prints per client the audio chunks received, seq gaps and bytes when told to stop. */
const CLIENTS = `
const http = require('node:http')
const [url, n] = [process.argv[1], Number(process.argv[2])]
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity })
const counts = Array.from({ length: n }, () => ({ audio: 0, gaps: 0, last: -1, bytes: 0, open: false }))
for (let i = 0; i < n; i++) {
  http.get(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
    counts[i].open = true
    let buf = ''
    res.on('data', (d) => {
      const c = counts[i]
      c.bytes += d.length
      buf += d.toString('latin1')
      let k
      while ((k = buf.indexOf('\\n\\n')) >= 0) {
        const ev = buf.slice(0, k)
        buf = buf.slice(k + 2)
        if (!ev.includes('event: audio')) continue
        const seq = Number(/"seq":(\\d+)/.exec(ev)[1])
        if (c.last >= 0 && seq !== c.last + 1) c.gaps++
        c.last = seq
        c.audio++
      }
    })
  }).on('error', () => {})
}
setInterval(() => { if (counts.every((c) => c.open)) process.stdout.write('open\\n') }, 100)
process.stdin.on('data', () => { process.stdout.write(JSON.stringify(counts) + '\\n'); process.exit(0) })
`

describe('audio-mode load', () => {
  it(`one Opus station's CPU, and ${LISTENERS} SSE listeners all receiving the same audio`, async () => {
    running = await startTestServer({ stations: [{ id: 'radio', name: 'Radio', seed: 5, mode: 'audio', codec: 'opus', controls: { style: 'ambient', key: 'C', mode: 'ionian', bpm: 240, intensity: 0.6 } }] })
    await new Promise((r) => setTimeout(r, 1500)) // past the start-up burst
    const station = await cpuOver(WINDOW_MS)
    const child = spawn(process.execPath, ['-e', CLIENTS, `${running.url}/api/stations/radio/events`, String(LISTENERS)], { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    for (let i = 0; i < 200 && !out.includes('open'); i++) await new Promise((r) => setTimeout(r, 50))
    expect(out).toContain('open')
    await new Promise((r) => setTimeout(r, 500))
    const withListeners = await cpuOver(WINDOW_MS)
    const done = new Promise<string>((r) => child.stdout.on('data', () => { if (out.includes(']')) r(out) }))
    child.stdin.write('stop\n')
    const counts = JSON.parse((await done).split('\n').find((l) => l.startsWith('['))!) as { audio: number; gaps: number; last: number; bytes: number }[]
    const audio = counts.map((c) => c.audio)
    const perListener = (withListeners - station) / LISTENERS
    const bytesPerS = counts.reduce((n, c) => n + c.bytes, 0) / LISTENERS / (audio[0] / 10)
    const figures = {
      stationCpuCore: Number(station.toFixed(3)),
      listeners: LISTENERS,
      withListenersCpuCore: Number(withListeners.toFixed(3)),
      cpuPerListenerPctCore: Number((perListener * 100).toFixed(4)),
      listenersPerCore: Math.round(1 / perListener),
      kbpsPerListenerWithSections: Math.round((bytesPerS * 8) / 100) / 10,
    }
    console.log('audio load figures', JSON.stringify(figures))
    // Every listener got every chunk from its connection on, in order, up to the same last one (±1 in flight).
    expect(Math.min(...audio)).toBeGreaterThan((WINDOW_MS / 1000) * 10 * 0.9) // connected for the whole second window
    expect(counts.every((c) => c.gaps === 0)).toBe(true)
    const lasts = counts.map((c) => c.last)
    expect(Math.max(...lasts) - Math.min(...lasts)).toBeLessThanOrEqual(1)
    expect(station).toBeLessThan(1) // one station renders in real time on less than a core
  }, 60_000)
})
