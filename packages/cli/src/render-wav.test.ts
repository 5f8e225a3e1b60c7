import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { encodeWav, renderOffline } from '@auralis/synth-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyFadeOut, fadeFrames } from './fade.js'
import type { MusicOptions } from './options.js'
import type { RenderProgress } from './progress-info.js'
import { BLOCK_FRAMES, renderToFile, type RenderJob } from './render.js'
import { composeSections } from './sections.js'
import { parseWav, tempDir } from './test-helpers.js'

const JAZZ: MusicOptions = { style: 'jazz', seed: 7, key: 'C', mode: 'ionian', bpm: 140, intensity: 0.6 }
const AMBIENT: MusicOptions = { style: 'ambient', seed: 3, key: 'D', mode: 'lydian', bpm: 70, intensity: 0.5 }
let tmp: ReturnType<typeof tempDir>

beforeAll(() => {
  tmp = tempDir()
})
afterAll(() => tmp.remove())

function job(music: MusicOptions, name: string, over: Partial<RenderJob> = {}): RenderJob {
  return { ...music, seconds: 5, out: join(tmp.dir, name), format: 'wav', sampleRate: 48000, channels: 2, bitDepth: 16, ...over }
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0
  for (let i = from; i < to; i++) s += x[i] * x[i]
  return Math.sqrt(s / Math.max(1, to - from))
}

function peak(chans: Float32Array[]): number {
  let p = 0
  for (const c of chans) for (const x of c) p = Math.max(p, Math.abs(x))
  return p
}

/** synth-core's offline render of the same score, cut to `seconds` and faded as the CLI does. */
async function offlineReference(music: MusicOptions, seconds: number, sampleRate: number): Promise<Float32Array[]> {
  const full = await renderOffline(composeSections(music, seconds), { sampleRate, channels: 2, seed: music.seed })
  const total = Math.round(seconds * sampleRate)
  const cut = full.channels.map((c) => c.slice(0, total))
  applyFadeOut(cut, 0, total, fadeFrames(total, sampleRate))
  return cut
}

describe('WAV output', () => {
  it('is a valid 16-bit RIFF/WAVE file of exactly --seconds, non-silent and within full scale', async () => {
    const progress: RenderProgress[] = []
    const partialSizes: [number, number][] = []
    const j = job(JAZZ, 'jazz16.wav')
    const summary = await renderToFile(j, {
      onProgress: (p) => {
        progress.push(p)
        const partial = `${j.out}.${process.pid}.partial`
        if (existsSync(partial)) partialSizes.push([p.done, statSync(partial).size])
        else expect(p.fraction).toBe(1) // the last report comes after the rename
      },
    })
    const bytes = new Uint8Array(await readFile(j.out))
    const wav = parseWav(bytes)
    const frames = 5 * 48000
    expect(wav).toMatchObject({
      format: 1, channels: 2, sampleRate: 48000, byteRate: 48000 * 4, blockAlign: 4, bitDepth: 16,
      dataOffset: 44, dataSize: frames * 4, riffSize: bytes.length - 8,
    })
    expect(bytes.length).toBe(44 + frames * 4)
    expect(summary).toMatchObject({ out: j.out, format: 'wav', bytes: bytes.length, seconds: 5 })
    expect(summary.sections).toBe(composeSections(JAZZ, 5).length)
    expect(wav.samples[0].length / wav.sampleRate).toBe(5)
    // Non-silent: every half second before the fade carries sound, in both channels.
    for (const ch of wav.samples) {
      expect(rms(ch)).toBeGreaterThan(0.01)
      for (let t = 0; t < 4; t += 0.5) expect(rms(ch, t * 48000, (t + 0.5) * 48000), `${t} s`).toBeGreaterThan(1e-4)
    }
    // 16-bit samples never hit the clip rails: the limiter keeps them below −1 dBFS (0.891).
    expect(peak(wav.samples)).toBeLessThan(0.8913 + 1 / 32768)
    // The fade-out ends at (almost) silence.
    expect(Math.abs(wav.samples[0][frames - 1])).toBeLessThan(1e-3)
    // Written incrementally: while rendering, the partial file holds the header plus exactly the frames done.
    expect(partialSizes.length).toBe(Math.ceil(frames / BLOCK_FRAMES))
    for (const [done, size] of partialSizes) expect(size).toBe(44 + Math.round(done * 48000) * 4)
  })

  it('reports monotonic progress that reaches exactly 1, with speed and ETA', async () => {
    const progress: RenderProgress[] = []
    let clock = 0
    await renderToFile(job(AMBIENT, 'progress.wav', { seconds: 2 }), { onProgress: (p) => progress.push(p), now: () => (clock += 10) })
    expect(progress.length).toBe(Math.ceil((2 * 48000) / BLOCK_FRAMES) + 1)
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction)
      expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done)
    }
    expect(progress[0].fraction).toBeCloseTo(BLOCK_FRAMES / (2 * 48000), 9)
    expect(progress.at(-1)).toMatchObject({ fraction: 1, done: 2, total: 2, etaSeconds: 0 })
    // The injected clock advances 10 ms per reading: block k is reported at 10·(k+1) ms after the start.
    const first = progress[0]
    expect(first.elapsedMs).toBe(10)
    expect(first.speed).toBeCloseTo(first.done / 0.01, 6)
    expect(first.etaSeconds).toBeCloseTo((2 - first.done) / first.speed, 6)
  })

  it('equals synth-core\'s offline render of the same score, sample for sample (32-bit float)', async () => {
    const seconds = 4
    const j = job(JAZZ, 'jazz32.wav', { seconds, bitDepth: 32, sampleRate: 44100 })
    await renderToFile(j)
    const bytes = new Uint8Array(await readFile(j.out))
    const wav = parseWav(bytes)
    expect(wav).toMatchObject({ format: 3, bitDepth: 32, sampleRate: 44100, channels: 2, factFrames: seconds * 44100, dataSize: seconds * 44100 * 8 })
    const reference = await offlineReference(JAZZ, seconds, 44100)
    expect(peak(wav.samples)).toBeLessThanOrEqual(1)
    expect(Buffer.from(bytes).equals(Buffer.from(encodeWav({ channels: reference, sampleRate: 44100 }, { bitDepth: 32 })))).toBe(true)
  })

  it('equals the offline render byte for byte as 16-bit PCM too (ambient)', async () => {
    const j = job(AMBIENT, 'ambient16.wav', { seconds: 3 })
    await renderToFile(j)
    const reference = await offlineReference(AMBIENT, 3, 48000)
    const bytes = new Uint8Array(await readFile(j.out))
    expect(rms(parseWav(bytes).samples[0])).toBeGreaterThan(0.003)
    expect(Buffer.from(bytes).equals(Buffer.from(encodeWav({ channels: reference, sampleRate: 48000 }, { bitDepth: 16 })))).toBe(true)
  })

  it('aborts on a signal: rejects with its reason and leaves no file', async () => {
    const controller = new AbortController()
    const j = job(JAZZ, 'aborted.wav', { seconds: 30 })
    const reason = new Error('stop')
    await expect(renderToFile(j, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.fraction > 0.05) controller.abort(reason)
      },
    })).rejects.toBe(reason)
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('aborted'))).toEqual([])
  })
})
