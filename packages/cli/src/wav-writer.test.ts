import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { encodeWav } from '@auralis/synth-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseWav, tempDir } from './test-helpers.js'
import { createWavFileWriter, encodeWavSamples, maxWavFrames, wavHeader, type WavFormat } from './wav-writer.js'

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir()
})
afterAll(() => tmp.remove())

/** A deterministic test signal: a 441 Hz sine on the left, a ramp past full scale on the right (to exercise clipping). */
function signal(frames: number, sampleRate: number, channels: number): Float32Array[] {
  const out = Array.from({ length: channels }, () => new Float32Array(frames))
  for (let i = 0; i < frames; i++) {
    out[0][i] = 0.5 * Math.sin((2 * Math.PI * 441 * i) / sampleRate)
    if (channels > 1) out[1][i] = -1.5 + (3 * i) / frames
  }
  return out
}

describe('wavHeader', () => {
  it('is encodeWav\'s header with the sizes of the given frame count', () => {
    for (const format of [
      { sampleRate: 48000, channels: 2, bitDepth: 16 }, { sampleRate: 44100, channels: 1, bitDepth: 32 },
    ] as WavFormat[]) {
      const audio = { channels: signal(1000, format.sampleRate, format.channels), sampleRate: format.sampleRate }
      const whole = encodeWav(audio, { bitDepth: format.bitDepth })
      const header = wavHeader(format, 1000)
      expect(header.length).toBe(format.bitDepth === 16 ? 44 : 58)
      expect(Buffer.from(whole.subarray(0, header.length)).equals(Buffer.from(header))).toBe(true)
      expect(Buffer.from(whole.subarray(header.length)).equals(Buffer.from(encodeWavSamples(audio.channels, format)))).toBe(true)
    }
  })

  it('bounds the length by the 32-bit RIFF size', () => {
    const f: WavFormat = { sampleRate: 48000, channels: 2, bitDepth: 16 }
    const max = maxWavFrames(f)
    expect(max).toBe(Math.floor((0xffffffff - 36) / 4))
    expect(() => wavHeader(f, max)).not.toThrow()
    expect(() => wavHeader(f, max + 1)).toThrow(RangeError)
    expect(() => wavHeader({ ...f, bitDepth: 24 as 16 }, 0)).toThrow(/bitDepth must be 16 or 32/)
  })
})

describe('createWavFileWriter', () => {
  it.each([16, 32] as const)('writes blocks of any size to the same bytes as encodeWav of the whole (%i-bit)', async (bitDepth) => {
    const format: WavFormat = { sampleRate: 22050, channels: 2, bitDepth }
    const audio = signal(10_000, format.sampleRate, 2)
    const path = join(tmp.dir, `blocks-${bitDepth}.wav`)
    const writer = await createWavFileWriter(path, format)
    const sizes = [1, 127, 128, 4096, 3, 5000, 645]
    let at = 0
    for (const n of sizes) {
      await writer.write(audio.map((c) => c.subarray(at, at + n)))
      at += n
    }
    expect(at).toBe(10_000)
    expect(writer.frames).toBe(10_000)
    const bytes = await writer.close()
    const file = await readFile(path)
    expect(file.length).toBe(bytes)
    expect(file.equals(Buffer.from(encodeWav({ channels: audio, sampleRate: format.sampleRate }, { bitDepth })))).toBe(true)
    const wav = parseWav(new Uint8Array(file))
    expect(wav.samples[0].length).toBe(10_000)
    // Over-range samples are clipped in 16-bit and kept in float.
    const maxRight = Math.max(...wav.samples[1])
    expect(maxRight).toBe(bitDepth === 16 ? 32767 / 32768 : Math.fround(-1.5 + 3 * 9999 / 10_000))
  })

  it('an empty file is a valid WAV with zero frames; writes after close fail; a wrong channel count is refused', async () => {
    const path = join(tmp.dir, 'empty.wav')
    const writer = await createWavFileWriter(path, { sampleRate: 8000, channels: 1, bitDepth: 16 })
    await expect(writer.write([new Float32Array(4), new Float32Array(4)])).rejects.toThrow(/expected 1 channels/)
    expect(await writer.close()).toBe(44)
    await expect(writer.write([new Float32Array(4)])).rejects.toThrow(/closed/)
    expect(parseWav(new Uint8Array(await readFile(path)))).toMatchObject({ dataSize: 0, riffSize: 36, sampleRate: 8000, channels: 1 })
  })
})
