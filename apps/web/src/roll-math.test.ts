import { describe, expect, it } from 'vitest'
import type { Section } from '@auralis/protocol'
import { DRUM_STRIP, noteRect, noteToY, notesInWindow, nowX, pitchRange, timeToX, type RollNote, type RollView } from './roll-math.js'

const view: RollView = { width: 600, height: 240, pastS: 2, aheadS: 4, low: 48, high: 71 }
const n = (start: number, d: number, note: number, inst: RollNote['inst'] = 'pad'): RollNote => ({ start, d, note, inst, vel: 100 })

describe('piano-roll math', () => {
  it('puts the now-line at pastS of the window and maps time linearly (100 px/s here)', () => {
    expect(nowX(view)).toBe(200)
    expect(timeToX(view, 10, 10)).toBe(200)
    expect(timeToX(view, 10, 11.5)).toBe(350)
    expect(timeToX(view, 10, 8)).toBe(0)
  })

  it('maps pitch to lanes, high notes on top, one lane per semitone', () => {
    expect(noteToY(view, 71)).toBe(0)
    expect(noteToY(view, 48)).toBe(230) // 24 lanes of 10 px
    expect(noteToY(view, 60)).toBe(110)
  })

  it('draws a note from its start to its end, clipped at the edges, and drops notes out of view', () => {
    expect(noteRect(view, 10, n(10.5, 1, 60))).toEqual({ x: 250, y: 110, w: 100, h: 9 })
    expect(noteRect(view, 10, n(7, 2, 60))).toEqual({ x: 0, y: 110, w: 100, h: 9 }) // 7–9 s: starts before the window
    expect(noteRect(view, 10, n(20, 1, 60))).toBeUndefined()
    expect(noteRect(view, 10, n(10, 1, 90))).toBeUndefined() // above the range
    const drum = noteRect(view, 10, n(10, 0.1, 42, 'hat'))!
    expect(drum.y).toBe(242)
    expect(drum.h).toBe(DRUM_STRIP - 4)
  })

  it('chooses a pitch range that holds every pitched note, at least two octaves, inside 0–127', () => {
    expect(pitchRange([n(0, 1, 40), n(0, 1, 80)])).toEqual([40, 80])
    expect(pitchRange([n(0, 1, 60), n(0, 1, 64)])).toEqual([50, 74])
    expect(pitchRange([n(0, 1, 1)])).toEqual([0, 24])
    expect(pitchRange([n(0, 1, 126)])).toEqual([103, 127])
    expect(pitchRange([n(0, 1, 36, 'kick')])).toEqual([48, 72])
  })

  it('lists the notes sounding in a window of stream time, from sections, in start order', () => {
    const s = (startTime: number, events: Section['events']): Section => ({
      index: 0, startTime, bar: 0, bpm: 60, bars: 1, beatsPerBar: 4, key: 'C', mode: 'ionian', style: 'ambient',
      intensity: 0.5, swing: 0.5, chords: [], events, source: 'algorithmic',
    })
    const got = notesInWindow([s(4, [{ t: 0, d: 1, inst: 'bass', note: 40, vel: 80 }]), s(0, [
      { t: 0, d: 1, inst: 'pad', note: 60, vel: 70 }, // 0–1: before the window
      { t: 1, d: 2.5, inst: 'pad', note: 64, vel: 70 }, // 1–3.5: rings into it
    ])], 2, 5)
    expect(got.map((x) => [x.start, x.note])).toEqual([[1, 64], [4, 40]])
  })
})
