import { describe, expect, it } from 'vitest'
import { applyFadeOut, fadeFrames } from './fade.js'

describe('fade-out', () => {
  it('lasts 1 s, or a tenth of a shorter render', () => {
    expect(fadeFrames(48000 * 60, 48000)).toBe(48000)
    expect(fadeFrames(48000 * 5, 48000)).to.equal(24000)
    expect(fadeFrames(5, 48000)).toBe(0)
  })

  it('scales the last frames linearly to silence, the same whichever way the render is split into blocks', () => {
    const total = 1000
    const fade = 100
    const whole = [new Float32Array(total).fill(1)]
    applyFadeOut(whole, 0, total, fade)
    expect(whole[0][899]).toBe(1)
    expect(whole[0][900]).toBe(1)
    expect(whole[0][950]).toBeCloseTo(0.5, 6)
    expect(whole[0][999]).toBeCloseTo(0.01, 6)
    const pieces: number[] = []
    for (let at = 0; at < total; at += 333) {
      const block = [new Float32Array(Math.min(333, total - at)).fill(1)]
      applyFadeOut(block, at, total, fade)
      pieces.push(...block[0])
    }
    expect(pieces).toEqual([...whole[0]])
  })
})
