/**
 * Helpers shared by this package's tests (not exported from the package): measuring sections against
 * tonal directly, independently of the generators' own theory code.
 */
import { KEYS, MODES, type Section } from '@auralis/protocol'
import fc from 'fast-check'
import { Chord, Note, Scale } from 'tonal'

/** Chroma set of a scale, from tonal. */
export function scaleSet(key: string, mode: string): Set<number> {
  return new Set(Scale.get(`${key} ${mode}`).notes.map((n) => Note.chroma(n) as number))
}

/** Chroma set of a chord symbol's tones, from tonal. */
export function chordSet(symbol: string): Set<number> {
  return new Set(Chord.get(symbol).notes.map((n) => Note.chroma(n) as number))
}

/** Root chroma of a chord symbol. */
export function rootOf(symbol: string): number {
  return Note.chroma(Chord.get(symbol).tonic as string) as number
}

/** Straight position in beats of an event time (inverts swing independently of the generators). */
export function beatsOf(section: Section, t: number): number {
  const swung = (t * section.bpm) / 60
  const r = section.swing
  let whole = Math.floor(swung + 1e-7)
  const frac = Math.max(0, swung - whole)
  const straight = frac < r ? frac / (2 * r) : 0.5 + (frac - r) / (2 * (1 - r))
  const pos = whole + straight
  const rounded = Math.round(pos * 48) / 48
  return Math.abs(rounded - pos) < 1e-4 ? rounded : pos
}

/** The chord symbol sounding at a position in beats. */
export function chordAtBeat(section: Section, pos: number): string {
  let sym = section.chords[0].symbol
  for (const c of section.chords) if (c.bar * section.beatsPerBar + c.beat <= pos + 1e-9) sym = c.symbol
  return sym
}

/** fast-check arbitrary for composer controls. */
export const controlsArb = fc.record({
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  key: fc.constantFrom(...KEYS),
  mode: fc.constantFrom(...MODES),
  bpm: fc.integer({ min: 20, max: 300 }),
  intensity: fc.double({ min: 0, max: 1, noNaN: true }),
})
