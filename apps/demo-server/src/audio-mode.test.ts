import { afterEach, describe, expect, it } from 'vitest'
import { Decoder } from '@evan/opus'
import { WebSocket } from 'ws'
import { renderOffline } from '@auralis/synth-core'
import { audioMessageToChunk, decodeAudioFrame, unpackOpusPackets, type AudioMessage, type Section } from '@auralis/protocol'
import { listen, startTestServer } from './stream-test-support.js'
import type { RunningServer } from './server.js'
import type { StationDefinition } from './stream/stations.js'

let running: (RunningServer & { logs: () => string[] }) | undefined
const cleanups: (() => void)[] = []
afterEach(async () => { cleanups.splice(0).forEach((c) => c()); await running?.close(); running = undefined })

const station = (codec: 'opus' | 'pcm16'): StationDefinition =>
  ({ id: 'radio', name: 'Radio', seed: 5, mode: 'audio', codec, controls: { style: 'ambient', key: 'C', mode: 'ionian', bpm: 240, intensity: 0.6 } })

/** Left channel of the messages' audio, decoded. */
function decodeLeft(messages: AudioMessage[]): Float32Array {
  const out: number[] = []
  const opus = new Decoder({ channels: 2, sample_rate: 48000 })
  for (const m of messages) {
    const bytes = audioMessageToChunk(m).bytes
    const frames = m.codec === 'pcm16' ? [bytes] : unpackOpusPackets(bytes).map((p) => opus.decode(p))
    for (const f of frames) {
      const s = new Int16Array(f.slice().buffer)
      for (let i = 0; i < s.length; i += 2) out.push(s[i] / 32768)
    }
  }
  return Float32Array.from(out)
}

/** Highest normalised cross-correlation of `a` against `b` shifted by 0…maxLag samples, and that lag. */
function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { r: number; lag: number } {
  let best = { r: -1, lag: 0 }
  const n = Math.min(a.length, b.length) - maxLag
  for (let lag = 0; lag <= maxLag; lag++) {
    let ab = 0, aa = 0, bb = 0
    for (let i = 0; i < n; i++) { const x = a[i + lag], y = b[i]; ab += x * y; aa += x * x; bb += y * y }
    const r = ab / Math.sqrt(aa * bb)
    if (r > best.r) best = { r, lag }
  }
  return best
}

async function playRadio(codec: 'opus' | 'pcm16', seconds: number) {
  running = await startTestServer({ stations: [station(codec)] })
  const l = listen(`${running.url}/api/stations/radio/events`, ['hello', 'section', 'audio'])
  cleanups.push(() => l.es.close())
  await l.until((g) => g.filter((x) => x.type === 'audio').length >= seconds * 10, 20_000)
  const audio = l.got.filter((g) => g.type === 'audio').map((g) => g.data as AudioMessage)
  const sections = l.got.filter((g) => g.type === 'section').map((g) => g.data as Section)
  return { l, audio, sections, hello: l.got[0].data }
}

describe('audio-mode stations', () => {
  it('stream PCM16 that equals the server’s own offline render of the same sections (near-exact)', async () => {
    const { audio, sections, hello } = await playRadio('pcm16', 3)
    expect(hello).toMatchObject({ mode: 'audio', audio: { codec: 'pcm16', sampleRate: 48000, channels: 2 } })
    expect(audio[0].seq).toBe(0)
    audio.forEach((m, i) => expect(m.seq).toBe(i))
    const streamed = decodeLeft(audio)
    const reference = (await renderOffline(sections.filter((s) => s.startTime < 3.5), { sampleRate: 48000, channels: 2 })).channels[0]
    const n = Math.min(streamed.length, 3 * 48000)
    let maxDiff = 0
    let energy = 0
    for (let i = 0; i < n; i++) { maxDiff = Math.max(maxDiff, Math.abs(streamed[i] - reference[i])); energy += reference[i] ** 2 }
    expect(Math.sqrt(energy / n)).toBeGreaterThan(0.005) // there is music to compare
    expect(maxDiff).toBeLessThan(2 / 32768 + 1e-6) // int16 quantisation only
  }, 40_000)

  it('stream Opus that correlates highly with the offline render, within the bandwidth target', async () => {
    const { audio, sections, l } = await playRadio('opus', 4)
    const streamed = decodeLeft(audio)
    const reference = (await renderOffline(sections.filter((s) => s.startTime < 4.5), { sampleRate: 48000, channels: 2 })).channels[0]
    const { r, lag } = bestCorrelation(streamed.subarray(0, 3 * 48000), reference.subarray(0, 3 * 48000), 1200)
    expect(r).toBeGreaterThan(0.9)
    expect(lag).toBeLessThan(1200)
    // Bytes on the wire per second of audio, base64 and SSE framing included.
    const wireBytes = l.got.filter((g) => g.type === 'audio').reduce((n, g) => n + JSON.stringify(g.data).length + 40, 0)
    const kbps = (wireBytes * 8) / (audio.length * 0.1) / 1000
    console.log(`opus over SSE: ${kbps.toFixed(1)} kbit/s per listener (correlation ${r.toFixed(3)} at lag ${lag})`)
    expect(kbps).toBeLessThanOrEqual(80)
  }, 40_000)

  it('send audio as binary WebSocket frames (header + raw bytes) with the same ids', async () => {
    running = await startTestServer({ stations: [station('opus')] })
    const ws = new WebSocket(`${running.url.replace('http', 'ws')}/api/stations/radio/ws`)
    cleanups.push(() => ws.close())
    const frames: ReturnType<typeof decodeAudioFrame>[] = []
    ws.on('message', (data, isBinary) => { if (isBinary) frames.push(decodeAudioFrame(data as Buffer)) })
    for (let i = 0; i < 200 && frames.length < 10; i++) await new Promise((r) => setTimeout(r, 50))
    expect(frames.length).toBeGreaterThanOrEqual(10)
    frames.forEach((f, i) => {
      expect(f.audio).toMatchObject({ seq: frames[0].audio.seq + i, codec: 'opus', frames: 4800 })
      expect(unpackOpusPackets(f.audio.bytes)).toHaveLength(5)
      expect(f.id).toMatch(/^\d+$/)
    })
  }, 30_000)
})
