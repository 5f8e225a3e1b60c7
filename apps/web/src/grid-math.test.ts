import { describe, expect, it } from 'vitest'
import type { NoteEvent, Section } from '@auralis/protocol'
import { columnOf, currentStep, gridColumns, sectionGrid, stepOfTime, unswingBeats } from './grid-math.js'

const section = (events: NoteEvent[], over: Partial<Section> = {}): Section => ({
  index: 3, startTime: 10, bar: 4, bpm: 120, bars: 1, beatsPerBar: 4, key: 'C', mode: 'ionian', style: 'jazz',
  intensity: 0.5, swing: 0.5, chords: [{ bar: 0, beat: 0, symbol: 'C' }], events, source: 'algorithmic', ...over,
})

describe('grid math', () => {
  it('maps instruments to tracker columns (drum pieces share DRUMS)', () => {
    expect(columnOf('bass')).toBe('BASS')
    expect(columnOf('ride')).toBe('DRUMS')
    expect(columnOf('kick')).toBe('DRUMS')
    expect(columnOf('pad')).toBe('PAD')
  })

  it('undoes swing: the swung off-beat eighth lands on step 2, straight time is unchanged', () => {
    expect(unswingBeats(0.67, 0.67)).toBeCloseTo(0.5, 9)
    expect(unswingBeats(1.25, 0.5)).toBe(1.25)
    expect(stepOfTime(0.5, 120, 0.5)).toBeCloseTo(4, 9) // one beat at 120 bpm = 4 steps
    expect(stepOfTime(0.335, 120, 0.67)).toBeCloseTo(2, 9) // 0.67 of a beat, swung, = the "and"
  })

  it('shows the quartet always and other columns only when they play', () => {
    expect(gridColumns([section([])])).toEqual(['BASS', 'DRUMS', 'PIANO', 'SAX'])
    expect(gridColumns([section([{ t: 0, d: 1, inst: 'bell', note: 72, vel: 50 }])])).toEqual(['BASS', 'DRUMS', 'PIANO', 'SAX', 'BELL'])
  })

  it('lays notes on 16th steps with onsets, holds and rests, and labels bar.beat.step in stream bars', () => {
    const g = sectionGrid(section([
      { t: 0, d: 0.5, inst: 'bass', note: 36, vel: 90 }, // C2 for one beat = 4 steps
      { t: 0, d: 0.1, inst: 'ride', note: 51, vel: 70 },
      { t: 0, d: 0.1, inst: 'kick', note: 36, vel: 60 },
      { t: 0.5, d: 0.25, inst: 'piano', note: 64, vel: 40 },
      { t: 0.5, d: 0.25, inst: 'piano', note: 60, vel: 50 },
    ]))
    expect(g.columns).toEqual(['BASS', 'DRUMS', 'PIANO', 'SAX'])
    expect(g.rows).toHaveLength(16)
    expect(g.rows[0].label).toBe('5.1.1')
    expect(g.rows[5].label).toBe('5.2.2')
    expect(g.rows[0].cells.map((c) => c.text)).toEqual(['C2:90', 'RD BD', '.', '.'])
    expect(g.rows[0].cells[0].vel).toBe(90)
    expect(g.rows[1].cells.map((c) => c.kind)).toEqual(['hold', 'rest', 'rest', 'rest'])
    expect(g.rows[3].cells[0].kind).toBe('hold')
    expect(g.rows[4].cells[0].kind).toBe('rest')
    expect(g.rows[4].cells[2]).toEqual({ kind: 'on', text: 'E4 C4:50', vel: 50 })
    expect(g.rows[4].downbeat).toBe(true)
    expect(g.rows[5].downbeat).toBe(false)
  })

  it('spells black keys with flats in flat keys', () => {
    const g = sectionGrid(section([{ t: 0, d: 0.1, inst: 'sax', note: 70, vel: 80 }], { key: 'Bb' }))
    expect(g.rows[0].cells[3].text).toBe('Bb4:80')
    const sharp = sectionGrid(section([{ t: 0, d: 0.1, inst: 'sax', note: 70, vel: 80 }], { key: 'E' }))
    expect(sharp.rows[0].cells[3].text).toBe('A#4:80')
  })

  it('finds the step sounding at a stream time, undefined outside the section', () => {
    const s = section([])
    expect(currentStep(s, 9.99)).toBeUndefined()
    expect(currentStep(s, 10)).toBe(0)
    expect(currentStep(s, 10 + 0.125 * 5 + 0.01)).toBe(5)
    expect(currentStep(s, 11.999)).toBe(15)
    expect(currentStep(s, 12)).toBeUndefined()
  })
})
