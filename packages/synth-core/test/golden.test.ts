import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderOfflineSync } from '../src/index.js'
import { testSections } from './helpers.js'
import { rms } from './util/dsp.js'

/**
 * Golden render: a fingerprint (RMS per 100 ms block per channel, and a few samples) of a short fixed score.
 * Regenerate deliberately with `UPDATE_GOLDEN=1 pnpm test` after an intended change of the sound.
 */
const FILE = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'fingerprint.json')
const TOLERANCE = 1e-5

interface Fingerprint {
  sampleRate: number
  frames: number
  blockRms: number[][]
  samples: { index: number; values: number[] }[]
}

function fingerprint(): Fingerprint {
  const out = renderOfflineSync(testSections(), { tail: 1 })
  const block = out.sampleRate / 10
  const frames = out.channels[0].length
  const blockRms = out.channels.map((c) => {
    const r: number[] = []
    for (let i = 0; i + block <= frames; i += block) r.push(Number(rms(c, i, i + block).toPrecision(9)))
    return r
  })
  const samples = [1000, 12345, 48000, 100000, 150001, 200000, 250000].filter((i) => i < frames)
    .map((index) => ({ index, values: out.channels.map((c) => c[index]) }))
  return { sampleRate: out.sampleRate, frames, blockRms, samples }
}

describe('golden render', () => {
  it('matches the stored fingerprint within tolerance', () => {
    const fp = fingerprint()
    if (process.env.UPDATE_GOLDEN || !existsSync(FILE)) {
      if (process.env.CI && !process.env.UPDATE_GOLDEN) throw new Error(`golden file missing: ${FILE}`)
      mkdirSync(dirname(FILE), { recursive: true })
      writeFileSync(FILE, JSON.stringify(fp, null, 1) + '\n')
    }
    const golden = JSON.parse(readFileSync(FILE, 'utf8')) as Fingerprint
    expect(fp.sampleRate).toBe(golden.sampleRate)
    expect(fp.frames).toBe(golden.frames)
    for (let c = 0; c < golden.blockRms.length; c++) {
      for (let b = 0; b < golden.blockRms[c].length; b++) {
        const d = Math.abs(fp.blockRms[c][b] - golden.blockRms[c][b])
        if (d > TOLERANCE) throw new Error(`channel ${c} block ${b}: RMS ${fp.blockRms[c][b]} vs golden ${golden.blockRms[c][b]}`)
      }
    }
    for (const s of golden.samples) {
      const got = fp.samples.find((x) => x.index === s.index)!
      s.values.forEach((v, c) => expect(Math.abs(got.values[c] - v), `sample ${s.index} ch ${c}`).toBeLessThanOrEqual(TOLERANCE))
    }
    // The fingerprint is not trivial.
    expect(Math.max(...golden.blockRms[0])).toBeGreaterThan(0.01)
  })
})
