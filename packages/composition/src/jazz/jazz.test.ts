import type { Section } from '@auralis/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Chord, Note, Scale } from 'tonal'
import {
  createComposer, createRng, formBar, parseChart, saxLine, chordSpans, placeBar, type ComposerOptions, type GenContext,
} from '../index.js'
import { beatsOf, chordAtBeat, chordSet, controlsArb, rootOf } from '../test-utils.js'

function run(opts: Partial<ComposerOptions>, n: number): Section[] {
  const c = createComposer({ style: 'jazz', seed: 1, key: 'F', mode: 'ionian', bpm: 160, intensity: 0.6, ...opts })
  return Array.from({ length: n }, () => c.next())
}

const on = (s: Section, inst: string) => s.events.filter((e) => e.inst === inst).map((e) => ({ ...e, pos: beatsOf(s, e.t) }))

describe('walking bass', () => {
  it('walks quarter notes in E1–G2 and lands on a chord tone on every beat 1 (property, all forms)', () => {
    let downbeats = 0
    fc.assert(
      fc.property(controlsArb, fc.constantFrom('ii-V-I', 'blues', 'rhythm-changes' as const), (c, form) => {
        const intensity = 0.2 + c.intensity * 0.8
        for (const s of run({ ...c, intensity, form }, 10)) {
          const bass = on(s, 'bass')
          expect(bass).toHaveLength(s.bars * s.beatsPerBar)
          bass.forEach((e, k) => {
            expect(e.pos).toBe(k)
            expect(e.note).toBeGreaterThanOrEqual(28)
            expect(e.note).toBeLessThanOrEqual(43)
            if (k % s.beatsPerBar === 0) {
              downbeats++
              expect(chordSet(chordAtBeat(s, k)).has(e.note % 12), `${chordAtBeat(s, k)} ${e.note}`).toBe(true)
            }
          })
        }
      }),
      { numRuns: 60 },
    )
    expect(downbeats).toBeGreaterThan(1000)
  })

  it('approaches each chord change from a semitone, a scale step or a fifth (rate ≥ 90%), and lands on the root', () => {
    let changes = 0
    let approached = 0
    let rooted = 0
    for (const form of ['ii-V-I', 'blues', 'rhythm-changes'] as const) {
      const sections = run({ form, seed: 17 }, 64)
      const notes = sections.flatMap((s) => on(s, 'bass').map((e) => ({ note: e.note, chord: chordAtBeat(s, e.pos) })))
      for (let i = 1; i < notes.length; i++) {
        if (notes[i].chord === notes[i - 1].chord) continue
        changes++
        if (notes[i].note % 12 === rootOf(notes[i].chord)) rooted++
        const gap = Math.abs(notes[i].note - notes[i - 1].note)
        if (gap <= 2 || gap === 5 || gap === 7) approached++
      }
    }
    expect(changes).toBeGreaterThan(200)
    expect(rooted / changes).toBeGreaterThanOrEqual(0.95)
    expect(approached / changes).toBeGreaterThanOrEqual(0.9)
  })

  it('plays in two (half notes on 1 and 3) below intensity 0.2', () => {
    for (const s of run({ intensity: 0.1 }, 10)) {
      expect(on(s, 'bass').map((e) => e.pos)).toEqual([0, 2, 4, 6])
    }
  })
})

describe('drums', () => {
  it('ride on every beat with skip notes, hi-hat exactly on 2 and 4', () => {
    for (const s of run({}, 20)) {
      const hats = on(s, 'hat').map((e) => e.pos)
      expect(hats).toEqual([1, 3, 5, 7])
      const ride = on(s, 'ride').map((e) => e.pos)
      for (let b = 0; b < 8; b++) expect(ride).toContain(b)
      expect(ride).toContain(1.5)
      expect(ride).toContain(3.5)
      for (const e of s.events) if (['kick', 'snare', 'hat', 'ride', 'openhat', 'swell'].includes(e.inst)) expect([36, 38, 42, 46, 51, 49]).toContain(e.note)
    }
  })

  it('the swing ratio measured from ride skip notes and sax off-beats is 0.67 (and follows the option)', () => {
    for (const swing of [0.67, 0.5, 0.6, 0.75]) {
      const ratios: number[] = []
      const saxRatios: number[] = []
      for (const s of run({ swing, bpm: 140 }, 40)) {
        const spb = 60 / s.bpm
        for (const e of s.events) {
          const x = e.t / spb
          if (Math.abs(x - Math.round(x)) < 1e-4) continue
          const frac = x - Math.floor(x)
          if (e.inst === 'ride') ratios.push(frac)
          if (e.inst === 'sax') saxRatios.push(frac)
        }
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
      expect(ratios.length).toBeGreaterThan(100)
      expect(saxRatios.length).toBeGreaterThan(50)
      expect(Math.abs(mean(ratios) - swing)).toBeLessThan(0.005)
      expect(Math.abs(mean(saxRatios) - swing)).toBeLessThan(0.005)
    }
  })
})

describe('piano comping', () => {
  it('rootless voicings in C3–C5 holding the guide tones (3rd and 7th), syncopated', () => {
    let hits = 0
    let guide = 0
    let rootless = 0
    let offbeat = 0
    for (const form of ['ii-V-I', 'blues', 'rhythm-changes'] as const) {
      const sections = run({ form, seed: 5 }, 41)
      for (let i = 0; i < 40; i++) {
        const s = sections[i]
        const byPos = new Map<number, number[]>()
        for (const e of on(s, 'piano')) {
          expect(e.note).toBeGreaterThanOrEqual(48)
          expect(e.note).toBeLessThanOrEqual(72)
          byPos.set(e.pos, [...(byPos.get(e.pos) ?? []), e.note])
        }
        for (const [pos, notes] of byPos) {
          hits++
          if (pos % 1) offbeat++
          const ahead = pos + 0.5 >= 8 ? sections[i + 1].chords[0].symbol : chordAtBeat(s, pos + 0.5)
          const candidates = [chordAtBeat(s, pos), ahead]
          const ok = candidates.some((sym) => {
            const ch = Chord.get(sym)
            const pcs = new Set(notes.map((n) => n % 12))
            const third = ch.intervals.find((i) => i.startsWith('3')) ?? ch.intervals[1]
            const seventh = ch.intervals.find((i) => i.startsWith('7')) ?? ch.intervals.find((i) => i.startsWith('6'))
            const c = (i: string) => Note.chroma(Note.transpose(ch.tonic as string, i)) as number
            return pcs.has(c(third)) && (!seventh || pcs.has(c(seventh)))
          })
          if (ok) guide++
          if (!candidates.some((sym) => Math.min(...notes) % 12 === rootOf(sym))) rootless++
        }
      }
    }
    expect(hits).toBeGreaterThan(300)
    expect(guide / hits).toBeGreaterThanOrEqual(0.95)
    expect(rootless / hits).toBeGreaterThanOrEqual(0.95)
    expect(offbeat / hits).toBeGreaterThan(0.3)
  })
})

describe('sax', () => {
  it('stays in A3–F5, chord tones on strong beats (≥ 90%), chord-scale notes (≥ 85%), with rests', () => {
    let strong = 0
    let strongTones = 0
    let notes = 0
    let scaleNotes = 0
    let soundingBeats = 0
    let beats = 0
    fc.assert(
      fc.property(controlsArb, fc.constantFrom('ii-V-I', 'blues', 'rhythm-changes' as const), (c, form) => {
        for (const s of run({ ...c, form }, 8)) {
          const sax = on(s, 'sax')
          beats += 8
          const sounding = new Set<number>()
          for (const e of sax) {
            expect(e.note).toBeGreaterThanOrEqual(57)
            expect(e.note).toBeLessThanOrEqual(77)
            notes++
            for (let b = Math.floor(e.pos); b < e.pos + (e.d * s.bpm) / 60 && b < 8; b++) sounding.add(b)
            const sym = chordAtBeat(s, e.pos)
            const scale = new Set(Chord.chordScales(sym).length ? chordScaleOf(sym) : [])
            if (scale.has(e.note % 12) || chordSet(sym).has(e.note % 12)) scaleNotes++
            if (e.pos % 4 === 0 || e.pos % 4 === 2) {
              strong++
              if (chordSet(sym).has(e.note % 12)) strongTones++
            }
          }
          soundingBeats += sounding.size
        }
      }),
      { numRuns: 40 },
    )
    expect(strong).toBeGreaterThan(200)
    expect(strongTones / strong).toBeGreaterThanOrEqual(0.9)
    expect(scaleNotes / notes).toBeGreaterThanOrEqual(0.85)
    expect(soundingBeats / beats).toBeLessThan(0.85)
    expect(soundingBeats / beats).toBeGreaterThan(0.3)
  })

  it('develops motifs: with a motif in hand, about 45% of phrases restate its rhythm', () => {
    const motif = { durations: [0.5, 0.5, 1, 1.5], steps: [2, 2, -4] }
    let restated = 0
    const chords = chordSpans(placeBar(['Dm7'], 0, 4).concat(placeBar(['G7'], 1, 4)), 2, 4)
    const ctx: GenContext = { bpm: 120, bars: 2, beatsPerBar: 4, swing: 0.67, intensity: 0.5, key: 'C', mode: 'ionian', chords }
    for (let seed = 0; seed < 400; seed++) {
      const { events } = saxLine(createRng(seed), { ...ctx, previous: { note: 65, motif, restBeats: 0, direction: 1 } })
      const lens = events.slice(0, 3).map((e) => Math.round((e.d * 2 * 120) / 60) / 2)
      if (lens.length === 3 && lens[0] === 0.5 && lens[1] === 0.5 && lens[2] === 1) restated++
    }
    expect(restated / 400).toBeGreaterThan(0.35)
    expect(restated / 400).toBeLessThan(0.65)
  })
})

/** Chord-scale chromas the way a player would choose them (a preference over tonal's chord scales). */
function chordScaleOf(sym: string): number[] {
  const ch = Chord.get(sym)
  const pref = ['dorian', 'mixolydian', 'major', 'locrian', 'phrygian dominant', 'aeolian', 'melodic minor', 'lydian dominant', 'diminished', 'lydian']
  const names = Chord.chordScales(sym)
  const name = pref.find((p) => names.includes(p)) ?? names[0]
  return Scale.get(`${ch.tonic} ${name}`).notes.map((n) => Note.chroma(n) as number)
}

describe('forms and charts', () => {
  it('12-bar blues in F (jazz blues), minor blues in minor modes', () => {
    const bars = Array.from({ length: 12 }, (_, i) => formBar('blues', 'F', 'ionian', i).join(' '))
    expect(bars).toEqual(['F7', 'Bb7', 'F7', 'Cm7 F7', 'Bb7', 'Bo7', 'F7', 'D7', 'Gm7', 'C7', 'F7 D7', 'Gm7 C7'])
    expect(formBar('blues', 'C', 'aeolian', 0)).toEqual(['Cm7'])
    expect(formBar('blues', 'C', 'aeolian', 8)).toEqual(['Ab7'])
  })

  it('32-bar AABA rhythm changes in B♭', () => {
    const bars = Array.from({ length: 32 }, (_, i) => formBar('rhythm-changes', 'Bb', 'ionian', i).join(' '))
    expect(bars.slice(0, 8)).toEqual(['Bb6 G7', 'Cm7 F7', 'Dm7 G7', 'Cm7 F7', 'Fm7 Bb7', 'Eb6 Eo7', 'Dm7 G7', 'Cm7 F7'])
    expect(bars[15]).toBe('Bb6')
    expect(bars.slice(16, 24)).toEqual(['D7', 'D7', 'G7', 'G7', 'C7', 'C7', 'F7', 'F7'])
    expect(bars[31]).toBe('Bb6')
    expect(formBar('rhythm-changes', 'Bb', 'ionian', 32)).toEqual(formBar('rhythm-changes', 'Bb', 'ionian', 0))
  })

  it('ii–V–I cycles through all 12 keys, up a fourth each time; minor ii–V–i in minor modes', () => {
    const tonics = Array.from({ length: 12 }, (_, k) => formBar('ii-V-I', 'C', 'ionian', 4 * k + 2)[0])
    expect(tonics.slice(0, 4)).toEqual(['Cmaj7', 'Fmaj7', 'Bbmaj7', 'Ebmaj7'])
    expect(new Set(tonics.map((t) => rootOf(t))).size).toBe(12)
    expect(formBar('ii-V-I', 'C', 'ionian', 0)).toEqual(['Dm7'])
    expect([0, 1, 2].map((b) => formBar('ii-V-I', 'A', 'aeolian', b)[0])).toEqual(['Bm7b5', 'E7b9', 'Am6'])
  })

  it('parses charts: bars, two chords a bar on beats 1 and 3, % repeats; a composer plays them in order', () => {
    expect(parseChart('| Dm7 G7 | Cmaj7 | % |')).toEqual([['Dm7', 'G7'], ['Cmaj7'], ['Cmaj7']])
    expect(placeBar(['Dm7', 'G7'], 1, 4)).toEqual([{ bar: 1, beat: 0, symbol: 'Dm7' }, { bar: 1, beat: 2, symbol: 'G7' }])
    const c = createComposer({ style: 'jazz', seed: 3, key: 'C', mode: 'ionian', bpm: 120, intensity: 0.5, chart: 'Dm7 G7 | Cmaj7 | Em7b5 | A7b9' })
    expect(c.next().chords).toEqual([{ bar: 0, beat: 0, symbol: 'Dm7' }, { bar: 0, beat: 2, symbol: 'G7' }, { bar: 1, beat: 0, symbol: 'Cmaj7' }])
    expect(c.next().chords.map((ch) => ch.symbol)).toEqual(['Em7b5', 'A7b9'])
    expect(c.next().chords.map((ch) => ch.symbol)).toEqual(['Dm7', 'G7', 'Cmaj7'])
  })
})
