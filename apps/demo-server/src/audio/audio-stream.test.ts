import { afterEach, describe, expect, it } from 'vitest'
import { Decoder } from '@evan/opus'
import { audioMessageToChunk, unpackOpusPackets, type AudioMessage, type Section } from '@auralis/protocol'
import { AudioStream } from './audio-stream.js'

const streams: AudioStream[] = []
afterEach(async () => { for (const s of streams.splice(0)) await s.stop() })

/** One bar at 120 bpm holding A4 (440 Hz) on the lead. */
function a440(index: number): Section {
  return {
    index, startTime: index * 2, bar: index, bpm: 120, bars: 1, beatsPerBar: 4, key: 'A', mode: 'aeolian', style: 'ambient',
    intensity: 0.5, swing: 0.5, chords: [], source: 'algorithmic', events: [{ t: 0, d: 2, inst: 'lead', note: 69, vel: 100 }],
  }
}

async function collect(codec: 'opus' | 'pcm16', seconds: number): Promise<AudioMessage[]> {
  const got: AudioMessage[] = []
  const stream = new AudioStream({
    room: 'r', epoch: Date.now(), format: { codec, sampleRate: 48000, channels: 2 },
    publisher: { publish: (_room, _type, data) => { got.push(data as AudioMessage); return String(got.length) } },
  })
  streams.push(stream)
  for (let i = 0; i < Math.ceil(seconds / 2) + 1; i++) stream.schedule(a440(i))
  stream.start()
  const end = Date.now() + 10_000
  while (got.length < seconds * 10 && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
  return got
}

/** Fundamental frequency by autocorrelation (robust to a harmonically rich patch), skipping the attack. */
function pitchHz(signal: Float32Array, sampleRate: number): number {
  const x = signal.subarray(4800, 4800 + 9600)
  const minLag = Math.floor(sampleRate / 2000)
  const maxLag = Math.ceil(sampleRate / 50)
  const r = new Float64Array(maxLag + 1)
  for (let lag = minLag; lag <= maxLag; lag++) {
    let s = 0
    for (let i = 0; i + lag < x.length; i++) s += x[i] * x[i + lag]
    r[lag] = s / (x.length - lag)
  }
  let best = minLag
  for (let lag = minLag; lag <= maxLag; lag++) if (r[lag] > r[best]) best = lag
  // The smallest lag nearly as strong as the best is the fundamental period; refine it by parabolic interpolation.
  let lag = best
  for (let l = minLag + 1; l < best; l++) if (r[l] > 0.9 * r[best] && r[l] >= r[l - 1] && r[l] >= r[l + 1]) { lag = l; break }
  const [a, b, c] = [r[lag - 1], r[lag], r[lag + 1]]
  const shift = (a - c) / (2 * (a - 2 * b + c))
  return sampleRate / (lag + (Number.isFinite(shift) ? shift : 0))
}

function leftOfPcm(messages: AudioMessage[]): Float32Array {
  const frames = messages.reduce((n, m) => n + m.frames, 0)
  const out = new Float32Array(frames)
  let at = 0
  for (const m of messages) {
    const s = new Int16Array(audioMessageToChunk(m).bytes.slice().buffer)
    for (let f = 0; f < m.frames; f++) out[at++] = s[f * 2] / 32768
  }
  return out
}

describe('AudioStream (worker render → ring-buffer → encoder)', () => {
  it('publishes contiguous 100 ms PCM16 chunks ahead of time that carry the rendered 440 Hz note', async () => {
    const got = await collect('pcm16', 1.5)
    expect(got.length).toBeGreaterThanOrEqual(15)
    got.forEach((m, i) => {
      expect(m).toMatchObject({ seq: i, codec: 'pcm16', sampleRate: 48000, channels: 2, frames: 4800 })
      expect(m.startTime).toBeCloseTo(i * 0.1, 9)
    })
    const left = leftOfPcm(got)
    expect(pitchHz(left, 48000)).toBeGreaterThan(438)
    expect(pitchHz(left, 48000)).toBeLessThan(442)
    const rms = Math.sqrt(left.reduce((s, v) => s + v * v, 0) / left.length)
    expect(rms).toBeGreaterThan(0.01)
  }, 20_000)

  it('encodes Opus at 64 kbps in 20 ms packets that decode back to the same note', async () => {
    const got = await collect('opus', 1.5)
    expect(got.length).toBeGreaterThanOrEqual(15)
    const decoder = new Decoder({ channels: 2, sample_rate: 48000 })
    const pcm: number[] = []
    let bytes = 0
    for (const m of got) {
      const packets = unpackOpusPackets(audioMessageToChunk(m).bytes)
      expect(packets).toHaveLength(5)
      for (const p of packets) {
        bytes += p.length
        const out = new Int16Array(decoder.decode(p).slice().buffer)
        for (let f = 0; f < out.length / 2; f++) pcm.push(out[f * 2] / 32768)
      }
    }
    const seconds = got.length * 0.1
    const kbps = (bytes * 8) / seconds / 1000
    expect(kbps).toBeGreaterThan(32)
    expect(kbps).toBeLessThan(80)
    const hz = pitchHz(Float32Array.from(pcm), 48000)
    expect(hz).toBeGreaterThan(437)
    expect(hz).toBeLessThan(443)
  }, 20_000)

  it('starts a taken-over stream at the chunk containing its first section (not before the epoch, never after the section)', async () => {
    const got: AudioMessage[] = []
    const epoch = Date.now() - 14_545 // the stream has been playing for 14.545 s when this instance takes over
    const stream = new AudioStream({
      room: 'r', epoch, format: { codec: 'pcm16', sampleRate: 48000, channels: 2 },
      publisher: { publish: (_room, _type, data) => { got.push(data as AudioMessage); return String(got.length) } },
    })
    streams.push(stream)
    const first = { ...a440(7), startTime: 14.545 }
    stream.schedule(first)
    stream.schedule({ ...a440(8), startTime: 14.545 + 2 })
    stream.start()
    for (let i = 0; i < 100 && got.length < 8; i++) await new Promise((r) => setTimeout(r, 50))
    expect(got[0].seq).toBe(145)
    expect(got[0].startTime).toBeCloseTo(14.5, 9)
    got.forEach((m, i) => expect(m.seq).toBe(145 + i))
    // The first 45 ms are before the section: silence; then the note.
    const left = leftOfPcm(got)
    expect(Math.max(...left.subarray(0, 2100).map(Math.abs))).toBe(0)
    expect(pitchHz(left.subarray(2160), 48000)).toBeGreaterThan(437)
  }, 20_000)
})
