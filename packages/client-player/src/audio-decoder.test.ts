import { describe, expect, it } from 'vitest'
import { chunkStartFrame, decodePcm16, hasAudioDecoder } from './audio-decoder.js'
import { PlayerError } from './errors.js'

describe('PCM16 decoding', () => {
  it('turns interleaved little-endian int16 into planar floats (/32768), from any byte offset', () => {
    const raw = new Uint8Array(1 + 3 * 2 * 2)
    const v = new DataView(raw.buffer, 1)
    ;[0, 32767, -32768, 16384, -1, 1].forEach((x, i) => v.setInt16(i * 2, x, true))
    const [l, r] = decodePcm16(raw.subarray(1), 2, 3)
    expect(Array.from(l)).toEqual([0, -1, -1 / 32768])
    expect(Array.from(r)).toEqual([32767 / 32768, 0.5, 1 / 32768])
  })
  it('rejects a payload of the wrong size with a typed error', () => {
    expect(() => decodePcm16(new Uint8Array(10), 2, 3)).toThrow(PlayerError)
    expect(() => decodePcm16(new Uint8Array(10), 2, 3)).toThrow(/12/)
  })
  it('places a chunk on the stream frame clock', () => {
    expect(chunkStartFrame({ startTime: 12.3, sampleRate: 48_000 })).toBe(590_400)
  })
  it('knows Node has no WebCodecs AudioDecoder', () => {
    expect(hasAudioDecoder()).toBe(false)
  })
})
