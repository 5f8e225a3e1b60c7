import { describe, expect, it } from 'vitest'
import { CompositionError } from './errors.js'
import { chordInfo, diatonicChords, nearestPitch, pitchClassName, transposeChord } from './theory.js'
import { motion, voiceLead, voicingCandidates } from './voicing.js'

const names = (chromas: readonly number[]) => chromas.map(pitchClassName)

describe('theory (tonal)', () => {
  it('builds rootless A/B voicings: 3-5-7-9 for minor, 3-13-7-9 for dominants, 3-5-6-9 for sixth chords', () => {
    expect(names(chordInfo('Dm7').rootlessA)).toEqual(['F', 'A', 'C', 'E'])
    expect(names(chordInfo('Dm7').rootlessB)).toEqual(['C', 'E', 'F', 'A'])
    expect(names(chordInfo('G7').rootlessA)).toEqual(['B', 'E', 'F', 'A'])
    expect(names(chordInfo('G7').rootlessB)).toEqual(['F', 'A', 'B', 'E'])
    expect(names(chordInfo('Cmaj7').rootlessA)).toEqual(['E', 'G', 'B', 'D'])
    expect(names(chordInfo('Bb6').rootlessA)).toEqual(['D', 'F', 'G', 'C'])
    expect(names(chordInfo('G7b9').rootlessA)).toEqual(['B', 'E', 'F', 'Ab'])
  })

  it('chooses chord scales from tonal: dorian for m7, mixolydian for 7, major for maj7, locrian for m7b5', () => {
    expect(chordInfo('Dm7').scaleName).toBe('dorian')
    expect(chordInfo('G7').scaleName).toBe('mixolydian')
    expect(chordInfo('Cmaj7').scaleName).toBe('major')
    expect(chordInfo('Bm7b5').scaleName).toBe('locrian')
    expect(names(chordInfo('Dm7').scale)).toEqual(['D', 'E', 'F', 'G', 'A', 'B', 'C'])
  })

  it('rejects unknown chord symbols with a CompositionError', () => {
    expect(() => chordInfo('Hm7')).toThrow(CompositionError)
  })

  it('gives the seven diatonic seventh chords of every mode with roman numerals', () => {
    expect(diatonicChords('D', 'dorian').map((c) => c.symbol)).toEqual(['Dm7', 'Em7', 'Fmaj7', 'G7', 'Am7', 'Bm7b5', 'Cmaj7'])
    expect(diatonicChords('A', 'aeolian').map((c) => c.roman)).toEqual(['Im7', 'IIm7b5', 'bIIImaj7', 'IVm7', 'Vm7', 'bVImaj7', 'bVII7'])
    expect(diatonicChords('B', 'locrian')[0]).toMatchObject({ symbol: 'Bm7b5', diminished: true })
  })

  it('transposes chord symbols and finds pitches in range', () => {
    expect(transposeChord('Dm7', 2)).toBe('Em7')
    expect(transposeChord('F#m7b5', 1)).toBe('Gm7b5')
    expect(nearestPitch(4, 40, 28, 43)).toBe(40)
    expect(nearestPitch(0, 60, 28, 43)).toBe(36)
  })
})

describe('voice leading', () => {
  it('keeps common tones and moves the rest by step (C → Am → F → G)', () => {
    let prev: number[] | null = null
    let total = 0
    for (const sym of ['Cmaj7', 'Am7', 'Fmaj7', 'G7', 'Cmaj7']) {
      const v = voiceLead(prev, voicingCandidates(chordInfo(sym).tones, 48, 59, 79), 60)
      if (prev) {
        const m = motion(prev, v)
        expect(m).toBeLessThanOrEqual(6)
        total += m
      }
      prev = v
    }
    expect(total).toBeLessThanOrEqual(16)
  })
})
