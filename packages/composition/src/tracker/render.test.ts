import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { INSTRUMENTS, type InstrumentId, type NoteEvent } from '@auralis/protocol'
import { compareEvents, parseTracker } from './parse.js'
import { toTracker, type TrackerSection } from './render.js'
import { stepTime } from './swing.js'

const MELODIC: InstrumentId[] = ['bass', 'piano', 'sax', 'pad', 'lead', 'keys', 'pluck', 'bell']
const DRUMS: InstrumentId[] = ['kick', 'snare', 'hat', 'openhat', 'ride', 'clap', 'swell']

type GridStep = { kind: 'rest' } | { kind: 'tie' } | { kind: 'hit'; notes: { inst: InstrumentId; note: number; vel: number }[] }

/** A column of random steps for one tracker instrument (`inst` melodic, or 'drums'). */
function column(inst: InstrumentId | 'drums', total: number): fc.Arbitrary<GridStep[]> {
  const pitch =
    inst === 'drums'
      ? fc.constantFrom(...DRUMS).map((d) => ({ inst: d, note: INSTRUMENTS[d].drumNote! }))
      : fc.integer({ min: INSTRUMENTS[inst].range[0], max: INSTRUMENTS[inst].range[1] }).map((note) => ({ inst, note }))
  const hit = fc
    .uniqueArray(fc.record({ p: pitch, vel: fc.integer({ min: 1, max: 127 }) }), { minLength: 1, maxLength: 4, selector: (x) => x.p.note })
    .map((ns): GridStep => ({ kind: 'hit', notes: ns.map((n) => ({ ...n.p, vel: n.vel })) }))
  const step = fc.oneof(
    { weight: 3, arbitrary: fc.constant<GridStep>({ kind: 'rest' }) },
    { weight: 2, arbitrary: fc.constant<GridStep>({ kind: 'tie' }) },
    { weight: 3, arbitrary: hit },
  )
  return fc.array(step, { minLength: total, maxLength: total })
}

/** The events a grid of steps stands for: a hit lasts through the ties after it (the tracker's meaning). */
function gridEvents(columns: GridStep[][], bpm: number, swing: number): NoteEvent[] {
  const events: NoteEvent[] = []
  for (const col of columns) {
    for (let s = 0; s < col.length; s++) {
      const step = col[s]
      if (step.kind !== 'hit') continue
      let end = s + 1
      while (end < col.length && col[end].kind === 'tie') end++
      const t = stepTime(s, bpm, swing)
      for (const n of step.notes) events.push({ t, d: stepTime(end, bpm, swing) - t, inst: n.inst, note: n.note, vel: n.vel })
    }
  }
  return events.sort(compareEvents)
}

const gridSection = fc
  .record({
    bpm: fc.double({ min: 20, max: 300, noNaN: true }),
    swing: fc.oneof(fc.constant(0.5), fc.constant(0.67), fc.double({ min: 0.5, max: 0.75, noNaN: true })),
    bars: fc.integer({ min: 1, max: 2 }),
    beatsPerBar: fc.integer({ min: 1, max: 6 }),
    insts: fc.subarray<InstrumentId | 'drums'>([...MELODIC, 'drums'], { minLength: 1 }),
    key: fc.constantFrom('C', 'F', 'Bb', 'E', 'F#'),
  })
  .chain((p) => {
    const total = p.bars * p.beatsPerBar * 4
    return fc.tuple(...p.insts.map((i) => column(i, total))).map((columns) => ({ ...p, columns }))
  })

/** Differences between two event lists (same order, times within 1e-9 s), as text; '' when none. */
function eventDiff(actual: readonly NoteEvent[], expected: readonly NoteEvent[]): string {
  if (actual.length !== expected.length) return `${actual.length} events, expected ${expected.length}`
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]
    const e = expected[i]
    if (a.inst !== e.inst || a.note !== e.note || a.vel !== e.vel || Math.abs(a.t - e.t) > 1e-9 || Math.abs(a.d - e.d) > 1e-9) {
      return `event ${i}: ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`
    }
  }
  return ''
}

describe('toTracker', () => {
  it('writes the quartet in Infinite Jazz format, with ties for held notes and drum-map spellings', () => {
    const section: TrackerSection = {
      bpm: 120,
      bars: 1,
      beatsPerBar: 1,
      swing: 0.5,
      key: 'F',
      mode: 'ionian',
      events: [
        { t: 0, d: 0.25, inst: 'bass', note: 41, vel: 80 },
        { t: 0, d: 0.1, inst: 'ride', note: 51, vel: 70 },
        { t: 0, d: 0.1, inst: 'kick', note: 36, vel: 90 },
        { t: 0.25, d: 0.1, inst: 'hat', note: 42, vel: 50 },
        { t: 0.125, d: 0.375, inst: 'sax', note: 70, vel: 88 },
      ],
    }
    expect(toTracker(section)).toBe(
      ['BASS', '1 F2:80', '2 ^', '3 .', '4 .', '', 'DRUMS', '1 C2:90,Eb3:70', '2 .', '3 F#2:50', '4 .', '', 'PIANO', '1 .', '2 .', '3 .', '4 .', '', 'SAX', '1 .', '2 Bb4:88', '3 ^', '4 ^'].join('\n'),
    )
    expect(toTracker(section, { lineNumbers: false, flats: false }).split('\n').slice(-4)).toEqual(['.', 'A#4:88', '^', '^'])
  })

  it('adds extension headers only for instruments that play, after the quartet', () => {
    const text = toTracker({ bpm: 60, bars: 1, beatsPerBar: 1, swing: 0.5, events: [{ t: 0.5, d: 2, inst: 'pad', note: 60, vel: 50 }] })
    expect(text.split('\n\n').map((b) => b.split('\n')[0])).toEqual(['BASS', 'DRUMS', 'PIANO', 'SAX', 'PAD'])
    expect(text.endsWith('PAD\n1 .\n2 .\n3 C4:50\n4 ^')).toBe(true) // a note ringing past the end is held to the end
  })

  it('snaps off-grid swung times to the nearest step and cuts notes at the next onset of the same instrument', () => {
    // 60 bpm, swing 0.67: step 2 is at 0.67 s. Onsets jittered by a few ms still land on their steps.
    const text = toTracker(
      {
        bpm: 60,
        bars: 1,
        beatsPerBar: 2,
        swing: 0.67,
        events: [
          { t: 0.004, d: 3, inst: 'piano', note: 60, vel: 60 },
          { t: 0.668, d: 0.3, inst: 'piano', note: 64, vel: 61 },
          { t: 1.0, d: 0.01, inst: 'sax', note: 70, vel: 62 },
        ],
      },
      { lineNumbers: false },
    )
    const blocks = text.split('\n\n')
    expect(blocks[2]).toBe(['PIANO', 'C4:60', '^', 'E4:61', '^', '.', '.', '.', '.'].join('\n'))
    expect(blocks[3]).toBe(['SAX', '.', '.', '.', '.', 'A#4:62', '.', '.', '.'].join('\n'))
  })

  it('round-trips random grid-aligned sections: parseTracker(toTracker(s)) gives back the same events', () => {
    fc.assert(
      fc.property(gridSection, (p) => {
        const events = gridEvents(p.columns, p.bpm, p.swing)
        const section: TrackerSection = { bpm: p.bpm, swing: p.swing, bars: p.bars, beatsPerBar: p.beatsPerBar, key: p.key, mode: 'ionian', events }
        const text = toTracker(section)
        const back = parseTracker(text, { bpm: p.bpm, swing: p.swing, bars: p.bars, beatsPerBar: p.beatsPerBar })
        expect(back.warnings).toEqual([])
        expect(eventDiff(back.events, events)).toBe('')
        expect(back.events.every((e, i) => e.d > 0 && (i === 0 || e.t >= back.events[i - 1].t))).toBe(true)
        // and the text is canonical: writing the parsed events again gives the same text
        expect(toTracker({ ...section, events: back.events })).toBe(text)
      }),
      { numRuns: 120 },
    )
  })

  it('writes any section it is given as text that parses with the section’s step count', () => {
    const anyEvent = fc.record({
      t: fc.double({ min: 0, max: 3.99, noNaN: true }),
      d: fc.double({ min: 0.001, max: 5, noNaN: true }),
      inst: fc.constantFrom(...MELODIC, ...DRUMS),
      vel: fc.integer({ min: 1, max: 127 }),
      f: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 40 }), fc.double({ min: 0.5, max: 0.75, noNaN: true }), (raw, swing) => {
        // 60 bpm, 1 bar of 4: 4 s
        const events: NoteEvent[] = raw.map(({ t, d, inst, vel, f }) => {
          const [lo, hi] = INSTRUMENTS[inst].range
          return { t, d, inst, vel, note: Math.round(lo + f * (hi - lo)) }
        })
        events.sort(compareEvents)
        const text = toTracker({ bpm: 60, bars: 1, beatsPerBar: 4, swing, events })
        const back = parseTracker(text, { bpm: 60, swing, bars: 1 })
        expect(back.steps).toBe(16)
        expect(back.warnings).toEqual([])
        // every pitch that was played is still played, near where it was
        const lost = events.filter((e) => !back.events.some((b) => b.inst === e.inst && b.note === e.note && Math.abs(b.t - e.t) <= 0.34))
        expect(lost).toEqual([])
      }),
      { numRuns: 100 },
    )
  })
})
