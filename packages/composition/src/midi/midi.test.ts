import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseMidi, writeMidi, type MidiData, type MidiEvent } from 'midi-file'
import { INSTRUMENTS, type InstrumentId, type NoteEvent } from '@auralis/protocol'
import { parseTracker } from '../tracker/parse.js'
import { fromMidi } from './read.js'
import { toMidi, type MidiSection } from './write.js'

/** Independent reading with midi-file: absolute ticks, and note on/off paired per channel and key. */
function readWithMidiFile(bytes: Uint8Array) {
  const data = parseMidi(bytes)
  const tracks = data.tracks.map((events) => {
    let tick = 0
    const abs = events.map((e) => ({ ...e, tick: (tick += e.deltaTime) })) as (MidiEvent & { tick: number })[]
    const open = new Map<string, { tick: number; vel: number }>()
    const notes: { channel: number; note: number; on: number; off: number; vel: number }[] = []
    for (const e of abs) {
      if (e.type === 'noteOn' && e.velocity > 0) open.set(`${e.channel}:${e.noteNumber}`, { tick: e.tick, vel: e.velocity })
      else if (e.type === 'noteOff' || (e.type === 'noteOn' && e.velocity === 0)) {
        const k = `${e.channel}:${e.noteNumber}`
        const on = open.get(k)
        expect(on, `note off without note on (${k} at ${e.tick})`).toBeDefined()
        notes.push({ channel: e.channel, note: e.noteNumber, on: on!.tick, off: e.tick, vel: on!.vel })
        open.delete(k)
      }
    }
    expect(open.size).toBe(0)
    return {
      name: abs.find((e) => e.type === 'trackName')?.text,
      programs: abs.filter((e) => e.type === 'programChange').map((e) => ({ channel: e.channel, program: e.programNumber, tick: e.tick })),
      tempos: abs.filter((e) => e.type === 'setTempo').map((e) => ({ tick: e.tick, us: e.microsecondsPerBeat })),
      meters: abs.filter((e) => e.type === 'timeSignature').map((e) => ({ tick: e.tick, n: e.numerator, d: e.denominator })),
      keys: abs.filter((e) => e.type === 'keySignature').map((e) => ({ tick: e.tick, key: e.key, scale: e.scale })),
      notes,
    }
  })
  return { header: data.header, tracks }
}

const duration = (s: { bars: number; beatsPerBar: number; bpm: number }) => (s.bars * s.beatsPerBar * 60) / s.bpm

/** Lays sections end to end from `origin`. */
function contiguous<T extends Omit<MidiSection, 'startTime'>>(parts: T[], origin = 0): (T & { startTime: number })[] {
  let at = origin
  return parts.map((p) => {
    const s = { ...p, startTime: at }
    at += duration(p)
    return s
  })
}

const quartet = (bpm: number, swing: number, bars = 1) =>
  parseTracker(
    [
      'BASS', ...Array.from({ length: bars * 16 }, (_, i) => (i % 4 === 0 ? 'D2:90' : i % 4 === 2 ? 'A1:70' : '.')),
      'DRUMS', ...Array.from({ length: bars * 16 }, (_, i) => (i % 4 === 0 ? 'C2:100,Eb3:80' : i % 4 === 2 ? 'Eb3:60' : i % 8 === 5 ? 'F#2:50' : '.')),
      'SAX', ...Array.from({ length: bars * 16 }, (_, i) => (i % 4 === 2 ? 'A4:99' : i % 4 === 3 ? '^' : '.')),
    ].join('\n'),
    { bpm, swing, bars },
  ).events

describe('toMidi', () => {
  const sections = contiguous([
    { bpm: 120, bars: 1, beatsPerBar: 4, key: 'C', mode: 'ionian', events: [...quartet(120, 0.5), { t: 0, d: 3, inst: 'pad' as const, note: 60, vel: 40 }] },
    { bpm: 90, bars: 2, beatsPerBar: 4, key: 'D', mode: 'dorian', events: quartet(90, 0.67, 2) },
    { bpm: 90, bars: 1, beatsPerBar: 3, key: 'A', mode: 'aeolian', events: [{ t: 0, d: 1.5, inst: 'bass' as const, note: 33, vel: 127 }] },
    { bpm: 70, bars: 1, beatsPerBar: 4, key: 'Bb', mode: 'mixolydian', events: [{ t: 0.5, d: 0.25, inst: 'snare' as const, note: 38, vel: 1 }] },
  ], 1234.5)
  const bytes = toMidi(sections)
  const mf = readWithMidiFile(bytes)

  it('writes an SMF type 1 with a conductor track and one track per instrument, drums sharing channel 10', () => {
    expect(String.fromCharCode(...bytes.slice(0, 4))).toBe('MThd')
    expect((bytes[8] << 8) | bytes[9]).toBe(1) // format, read straight from the bytes
    expect(mf.header).toMatchObject({ format: 1, ticksPerBeat: 480, numTracks: 5 })
    expect(mf.tracks.map((t) => t.name)).toEqual(['Auralis', 'Warm Pad', 'Bass', 'Tenor Sax', 'Drums'])
    expect(mf.tracks.slice(1).map((t) => t.programs)).toEqual([
      [{ channel: 0, program: 89, tick: 0 }],
      [{ channel: 2, program: 32, tick: 0 }],
      [{ channel: 5, program: 66, tick: 0 }],
      [{ channel: 9, program: 0, tick: 0 }],
    ])
    for (const t of mf.tracks.slice(1)) expect(new Set(t.notes.map((n) => n.channel)).size).toBe(1)
    expect(new Set(mf.tracks[4].notes.map((n) => n.note))).toEqual(new Set([36, 38, 42, 51]))
  })

  it('puts tempo, meter and key changes at the ticks of the sections that bring them', () => {
    // 1 bar of 4 at 120 → 1920; 2 bars at 90 → 1920 + 3840 = 5760; 1 bar of 3 → 7200
    expect(mf.tracks[0].tempos).toEqual([
      { tick: 0, us: 500000 },
      { tick: 1920, us: 666667 },
      { tick: 7200, us: 857143 },
    ])
    expect(mf.tracks[0].meters).toEqual([
      { tick: 0, n: 4, d: 4 },
      { tick: 5760, n: 3, d: 4 },
      { tick: 7200, n: 4, d: 4 },
    ])
    // C major (0 sharps); D dorian is the same signature (not repeated); A aeolian = 0 sharps, minor; Bb mixolydian = Eb major (3 flats)
    expect(mf.tracks[0].keys).toEqual([
      { tick: 0, key: 0, scale: 0 },
      { tick: 5760, key: 0, scale: 1 },
      { tick: 7200, key: -3, scale: 0 },
    ])
  })

  it('keeps swing: off-beat eighths of the swung section sit at 0.67 of the beat', () => {
    const sax = mf.tracks[3].notes
    // section 2 starts at tick 1920; its eighth off-beats are at 1920 + k·480 + round(0.67·480 = 321.6)
    const swung = sax.filter((n) => n.on >= 1920 && n.on < 5760).map((n) => n.on)
    expect(swung).toEqual(Array.from({ length: 8 }, (_, k) => 1920 + k * 480 + 322))
    // straight in section 1: at 240
    expect(sax.filter((n) => n.on < 1920).map((n) => n.on)).toEqual([240, 720, 1200, 1680])
    // a tie holds the swung note to the next 16th after the off-beat (step 4 of 4 → 0.835 of the beat)
    expect(sax.find((n) => n.on === 1920 + 322)!.off).toBe(1920 + 480)
    // the closed hat at 16th 5 of 8 (the second 16th of beat 2) in the swung section: 0.67/2 of the beat
    const hats = mf.tracks[4].notes.filter((n) => n.note === 42 && n.on >= 1920 && n.on < 5760).map((n) => n.on)
    expect(hats).toEqual([1920 + 480 + 161, 1920 + 3 * 480 + 161, 1920 + 5 * 480 + 161, 1920 + 7 * 480 + 161])
  })

  it('writes velocities exactly and lets a long note ring across a tempo change at the new tempo', () => {
    expect(mf.tracks[2].notes.find((n) => n.on === 5760)).toEqual({ channel: 2, note: 33, on: 5760, off: 5760 + 1080, vel: 127 }) // 1.5 s at 90 bpm = 2.25 beats
    expect(mf.tracks[4].notes.find((n) => n.note === 38)).toMatchObject({ on: 7200 + Math.round((0.5 * 70 * 480) / 60), vel: 1 })
    // the pad: 3 s from t = 0 at 120 bpm is 2 s (1920 ticks) in section 1, then 1 s at 90 bpm (720 ticks)
    expect(mf.tracks[1].notes).toEqual([{ channel: 0, note: 60, on: 0, off: 1920 + 720, vel: 40 }])
  })

  it('reads back with fromMidi: tempo map, signatures and every note within a tick', () => {
    const back = fromMidi(bytes)
    expect(back.ppq).toBe(480)
    expect(back.name).toBe('Auralis')
    expect(back.tempos.map((t) => [t.ticks, t.bpm])).toEqual([[0, 120], [1920, 90], [7200, 70]])
    expect(back.tempos[1].time).toBe(2)
    expect(back.tempos[2].time).toBeCloseTo(sections[3].startTime - sections[0].startTime, 9)
    expect(back.timeSignatures.map((t) => [t.ticks, t.beatsPerBar, t.beatUnit])).toEqual([[0, 4, 4], [5760, 3, 4], [7200, 4, 4]])
    expect(back.keySignatures.map((k) => [k.key, k.scale])).toEqual([['C', 'major'], ['C', 'minor'], ['Eb', 'major']])
    const expected = sections.flatMap((s) => s.events.map((e) => ({ ...e, t: e.t + s.startTime - sections[0].startTime })))
    expectWithinATick(back.events, expected, sections)
    expect(back.warnings).toEqual([])
  })

  it('rejects bad input with a RangeError naming the field', () => {
    expect(() => toMidi([])).toThrow(RangeError)
    expect(() => toMidi([sections[1], sections[0]])).toThrow(/sections\[1\]\.startTime/)
    expect(() => toMidi(sections, { ppq: 10 })).toThrow(/ppq must be an integer from 24 to 32767/)
    expect(() => toMidi([{ ...sections[0], bpm: 500 }])).toThrow(/sections\[0\]\.bpm/)
  })
})

function expectWithinATick(actual: readonly NoteEvent[], expected: readonly NoteEvent[], sections: readonly MidiSection[], ppq = 480): void {
  const tick = Math.max(...sections.map((s) => 60 / (s.bpm * ppq))) + 1e-9
  expect(actual.length).toBe(expected.length)
  const key = (e: NoteEvent) => `${e.inst}:${e.note}:${Math.round(e.t * 1000)}`
  const byKey = new Map(actual.map((e) => [key(e), e]))
  for (const e of expected) {
    const a = byKey.get(key(e)) ?? actual.find((x) => x.inst === e.inst && x.note === e.note && Math.abs(x.t - e.t) <= tick)
    expect(a, `missing ${JSON.stringify(e)}`).toBeDefined()
    expect(a!.vel).toBe(e.vel)
    expect(Math.abs(a!.t - e.t)).toBeLessThanOrEqual(tick / 2 + 1e-9)
    expect(Math.abs(a!.d - e.d)).toBeLessThanOrEqual(tick)
  }
}

describe('toMidi / fromMidi properties', () => {
  const MELODIC: InstrumentId[] = ['pad', 'lead', 'bass', 'keys', 'piano', 'sax', 'pluck', 'bell']
  const DRUMS: InstrumentId[] = ['kick', 'snare', 'hat', 'openhat', 'ride', 'clap', 'swell']
  const trackOf = (i: InstrumentId) => (INSTRUMENTS[i].drum ? 'drums' : i)

  const caseArb = fc
    .record({
      ppq: fc.constantFrom(96, 480, 960),
      origin: fc.double({ min: 0, max: 1e5, noNaN: true }),
      parts: fc.array(
        fc.record({
          bpm: fc.oneof(fc.integer({ min: 20, max: 300 }), fc.integer({ min: 40, max: 600 }).map((x) => x / 2)),
          bars: fc.integer({ min: 1, max: 4 }),
          beatsPerBar: fc.integer({ min: 1, max: 7 }),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    })
    .chain(({ ppq, origin, parts }) => {
      const sections = contiguous(parts.map((p) => ({ ...p, events: [] as NoteEvent[] })), origin)
      const ev = fc.record({
        section: fc.integer({ min: 0, max: sections.length - 1 }),
        at: fc.double({ min: 0, max: 0.999, noNaN: true }),
        len: fc.double({ min: 0.001, max: 1.5, noNaN: true }),
        inst: fc.constantFrom(...MELODIC, ...DRUMS),
        f: fc.double({ min: 0, max: 1, noNaN: true }),
        vel: fc.integer({ min: 1, max: 127 }),
      })
      // one note per (track, key) so that MIDI's one-sounding-note-per-key rule never shortens one
      return fc
        .uniqueArray(ev, {
          maxLength: 30,
          selector: (e) => {
            const [lo, hi] = INSTRUMENTS[e.inst].range
            return `${trackOf(e.inst)}:${Math.round(lo + e.f * (hi - lo))}`
          },
        })
        .map((evs) => {
          for (const e of evs) {
            const s = sections[e.section]
            const [lo, hi] = INSTRUMENTS[e.inst].range
            const dur = duration(s)
            s.events.push({ t: e.at * dur, d: e.len * dur, inst: e.inst, note: Math.round(lo + e.f * (hi - lo)), vel: e.vel })
          }
          for (const s of sections) s.events.sort((a, b) => a.t - b.t)
          return { ppq, sections }
        })
    })

  /** Expected tick of a time in seconds from the first section's start, from the sections' beats. */
  function expectedTick(sections: readonly MidiSection[], ppq: number, sec: number): number {
    let startTick = 0
    let i = 0
    const origin = sections[0].startTime
    while (i + 1 < sections.length && sections[i + 1].startTime - origin <= sec + 1e-9) {
      startTick += sections[i].bars * sections[i].beatsPerBar * ppq
      i++
    }
    return startTick + ((sec - (sections[i].startTime - origin)) * sections[i].bpm * ppq) / 60
  }

  it('an independent parser (midi-file) sees the same notes (tick-rounded), channels, programs and tempo map', () => {
    fc.assert(
      fc.property(caseArb, ({ ppq, sections }) => {
        const mf = readWithMidiFile(toMidi(sections, { ppq }))
        expect(mf.header.ticksPerBeat).toBe(ppq)
        // tempo map: one set-tempo where the bpm changes, at the section's first tick
        const tempos: { tick: number; us: number }[] = []
        let tick = 0
        sections.forEach((s, i) => {
          if (i === 0 || s.bpm !== sections[i - 1].bpm) tempos.push({ tick, us: Math.round(60e6 / s.bpm) })
          tick += s.bars * s.beatsPerBar * ppq
        })
        expect(mf.tracks[0].tempos).toEqual(tempos)
        // notes
        const origin = sections[0].startTime
        const want = sections.flatMap((s) =>
          s.events.map((e) => {
            const inst = INSTRUMENTS[e.inst]
            const at = s.startTime - origin + e.t
            const on = expectedTick(sections, ppq, at)
            return { channel: inst.channel, program: inst.drum ? 0 : inst.program, note: e.note, on, off: Math.max(Math.round(on) + 1, expectedTick(sections, ppq, at + e.d)), vel: e.vel }
          }),
        )
        const got = mf.tracks.slice(1).flatMap((t) => t.notes.map((n) => ({ ...n, program: t.programs[0].program })))
        expect(got.length).toBe(want.length)
        for (const w of want) {
          const g = got.find((n) => n.channel === w.channel && n.note === w.note)
          expect(g, JSON.stringify(w)).toBeDefined()
          expect(g!.program).toBe(w.program)
          expect(g!.vel).toBe(w.vel)
          expect(Math.abs(g!.on - w.on)).toBeLessThanOrEqual(0.5 + 1e-6)
          expect(Math.abs(g!.off - w.off)).toBeLessThanOrEqual(0.5 + 1e-6)
        }
      }),
      { numRuns: 60 },
    )
  })

  it('fromMidi(toMidi(sections)) gives back every note within one tick, and the tempos exactly', () => {
    fc.assert(
      fc.property(caseArb, ({ ppq, sections }) => {
        const back = fromMidi(toMidi(sections, { ppq }))
        const origin = sections[0].startTime
        const expected = sections.flatMap((s) => s.events.map((e) => ({ ...e, t: e.t + s.startTime - origin })))
        expectWithinATick(back.events, expected, sections, ppq)
        const bpms = sections.map((s) => s.bpm).filter((b, i, all) => i === 0 || b !== all[i - 1])
        expect(back.tempos.map((t) => t.bpm)).toEqual(bpms)
        // section starts come back at their times (to well under a tick)
        for (const t of back.tempos) {
          const s = sections.find((x) => Math.abs(x.startTime - origin - t.time) < 1e-6)
          expect(s).toBeDefined()
        }
      }),
      { numRuns: 60 },
    )
  })
})

describe('fromMidi on files it did not write', () => {
  it('maps programs and drum keys to instruments, warns about the rest, and follows a mid-file tempo change', () => {
    const data: MidiData = {
      header: { format: 1, numTracks: 3, ticksPerBeat: 96 },
      tracks: [
        [
          { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: 600000 }, // 100 bpm
          { deltaTime: 192, meta: true, type: 'setTempo', microsecondsPerBeat: 400000 }, // 150 bpm from beat 2
          { deltaTime: 0, meta: true, type: 'endOfTrack' },
        ],
        [
          { deltaTime: 0, meta: true, type: 'trackName', text: 'Strings' },
          { deltaTime: 0, type: 'programChange', channel: 3, programNumber: 48 },
          { deltaTime: 0, type: 'noteOn', channel: 3, noteNumber: 60, velocity: 64 },
          { deltaTime: 288, type: 'noteOff', channel: 3, noteNumber: 60, velocity: 0 },
          { deltaTime: 0, meta: true, type: 'endOfTrack' },
        ],
        [
          { deltaTime: 0, type: 'noteOn', channel: 9, noteNumber: 35, velocity: 100 },
          { deltaTime: 0, type: 'noteOn', channel: 9, noteNumber: 81, velocity: 100 },
          { deltaTime: 24, type: 'noteOff', channel: 9, noteNumber: 35, velocity: 0 },
          { deltaTime: 0, type: 'noteOff', channel: 9, noteNumber: 81, velocity: 0 },
          { deltaTime: 0, meta: true, type: 'endOfTrack' },
        ],
      ],
    }
    const back = fromMidi(new Uint8Array(writeMidi(data)))
    expect(back.tempos).toEqual([
      { ticks: 0, time: 0, bpm: 100 },
      { ticks: 192, time: 1.2, bpm: 150 },
    ])
    expect(back.events).toEqual([
      { t: 0, d: 1.2 + 0.4, inst: 'piano', note: 60, vel: 64 },
      { t: 0, d: 0.6 * 0.25, inst: 'kick', note: 36, vel: 100 },
    ])
    expect(back.warnings).toEqual([
      'track 1 (Strings): program 48 is not in the instrument table; read as piano',
      'track 2: 1 drum note(s) not in the drum map were skipped',
    ])
  })
})
