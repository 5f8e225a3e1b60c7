import { describe, expect, it } from 'vitest'
import { chordOffsetS, nowPlayingAt } from './now-playing.js'
import { makeSection } from './test-support.js'

describe('nowPlayingAt', () => {
  const a = makeSection({ index: 0, chords: [{ bar: 0, beat: 0, symbol: 'Dm7' }, { bar: 0, beat: 2, symbol: 'G7' }, { bar: 1, beat: 0, symbol: 'Cmaj7' }] })
  const b = makeSection({ index: 1, key: 'F', chords: [{ bar: 0, beat: 0, symbol: 'Fmaj7' }] })
  it('places chords by bar and beat at the section tempo', () => {
    expect(chordOffsetS(a, a.chords[2])).toBe(2)
    expect(chordOffsetS(a, a.chords[1])).toBe(1)
  })
  it('finds the section and chord at a moment', () => {
    expect(nowPlayingAt([b, a], 0.5)?.chord?.symbol).toBe('Dm7')
    expect(nowPlayingAt([b, a], 1.5)?.chord?.symbol).toBe('G7')
    expect(nowPlayingAt([b, a], 3.99)?.chord?.symbol).toBe('Cmaj7')
    const at = nowPlayingAt([b, a], 4)!
    expect(at.section.key).toBe('F')
    expect(at.chord?.symbol).toBe('Fmaj7')
    expect(nowPlayingAt([a, b], 8)).toBeUndefined()
  })
})
