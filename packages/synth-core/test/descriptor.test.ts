import { describe, expect, it } from 'vitest'
import { INSTRUMENT_IDS } from '@auralis/protocol'
import {
  CpuVoice, MAX_BLOCK, PRESETS, VOICE_STRUCT_WGSL, VOICE_WORDS, buildVoice, packVoices, unpackVoices,
  type VoiceDescriptor,
} from '../src/index.js'

describe('voice descriptors', () => {
  const voices: VoiceDescriptor[] = INSTRUMENT_IDS.map((id, i) =>
    buildVoice(PRESETS[id], { frame: 1000 + i * 48000, note: 60, vel: 100, gate: 24000 }, { sampleRate: 48000, seed: 1, instrument: id }))

  it('pack and unpack round-trip (floats are already f32, ints are u32)', () => {
    const buf = packVoices(voices, 1000)
    expect(buf.byteLength).toBe(voices.length * VOICE_WORDS * 4)
    const back = unpackVoices(buf, 1000)
    expect(back).toHaveLength(voices.length)
    back.forEach((v, i) => {
      for (const [k, value] of Object.entries(voices[i])) {
        const got = (v as unknown as Record<string, unknown>)[k]
        if (value instanceof Uint32Array) expect(Array.from(got as Uint32Array), k).toEqual(Array.from(value))
        else expect(got, k).toBe(value)
      }
    })
    expect(() => packVoices(voices, 2000)).toThrow(/does not fit a u32/)
  })

  it('the WGSL struct has one member per word', () => {
    expect(VOICE_STRUCT_WGSL).toMatch(/^struct Voice \{/)
    const words = [...VOICE_STRUCT_WGSL.matchAll(/: (u32|f32|array<u32, (\d+)>),/g)].reduce((n, m) => n + (m[2] ? Number(m[2]) : 1), 0)
    expect(words).toBe(VOICE_WORDS)
  })

  it('a voice renders identically from its unpacked descriptor, and in any block split', () => {
    for (const v of voices) {
      const [u] = unpackVoices(packVoices([v]))
      const a = new CpuVoice(v, 48000)
      const b = new CpuVoice(u, 48000)
      const x = new Float64Array(MAX_BLOCK)
      const y = new Float64Array(MAX_BLOCK)
      let k = 0
      let size = 1
      while (k < v.length) {
        const n = Math.min(size, v.length - k, MAX_BLOCK)
        a.render(x, n)
        // b in one-frame steps
        for (let j = 0; j < n; j++) {
          const one = new Float64Array(1)
          b.render(one, 1)
          y[j] = one[0]
        }
        for (let j = 0; j < n; j++) if (x[j] !== y[j]) throw new Error(`voice ${v.seed} frame ${k + j}`)
        k += n
        size = (size * 5 + 3) % MAX_BLOCK + 1
      }
      expect(a.done).toBe(true)
    }
  })
})
