/**
 * What every generator receives besides its PRNG: the section's timing, controls and chord timeline.
 * Generators are pure: `(rng, context) → NoteEvent[]`.
 */
import type { InstrumentId, Key, Mode, NoteEvent } from '@auralis/protocol'
import type { ChordInfo } from './theory.js'
import { chordInfo } from './theory.js'
import { roundTime, swingBeat } from './timing.js'

/** A chord placed in a section, with its span in beats. */
export interface ChordSpan {
  /** Bar of the section (0-based). */
  readonly bar: number
  /** Beat within the bar (0-based). */
  readonly beat: number
  /** Start in beats from the section start. */
  readonly start: number
  /** Length in beats (to the next chord or the section end). */
  readonly length: number
  /** The chord symbol. */
  readonly symbol: string
  /** Theory about the chord. */
  readonly info: ChordInfo
}

/** The context a generator composes in. */
export interface GenContext {
  /** Tempo. */
  readonly bpm: number
  /** Bars in the section. */
  readonly bars: number
  /** Beats per bar. */
  readonly beatsPerBar: number
  /** Swing ratio for off-beat eighths (0.5 straight). */
  readonly swing: number
  /** Intensity 0–1. */
  readonly intensity: number
  /** Key root. */
  readonly key: Key
  /** Mode. */
  readonly mode: Mode
  /** The chord timeline of the section, in order, covering it from beat 0. */
  readonly chords: readonly ChordSpan[]
  /** The first chord after the section (for approach notes), when known. */
  readonly nextChord?: string
}

/** Builds a chord timeline from `(bar, beat, symbol)` placements (sorted), spanning `bars × beatsPerBar` beats. */
export function chordSpans(placed: readonly { bar: number; beat: number; symbol: string }[], bars: number, beatsPerBar: number): ChordSpan[] {
  const total = bars * beatsPerBar
  return placed.map((c, i) => {
    const start = c.bar * beatsPerBar + c.beat
    const next = i + 1 < placed.length ? placed[i + 1].bar * beatsPerBar + placed[i + 1].beat : total
    return { bar: c.bar, beat: c.beat, start, length: next - start, symbol: c.symbol, info: chordInfo(c.symbol) }
  })
}

/** The chord sounding at a position (beats from the section start). */
export function chordAt(ctx: GenContext, pos: number): ChordSpan {
  const chords = ctx.chords
  for (let i = chords.length - 1; i > 0; i--) if (pos >= chords[i].start - 1e-9) return chords[i]
  return chords[0]
}

/** Total beats in the section. */
export function totalBeats(ctx: GenContext): number {
  return ctx.bars * ctx.beatsPerBar
}

/** Clamps a velocity to 1–127 and rounds it. */
export function vel(v: number): number {
  return Math.max(1, Math.min(127, Math.round(v)))
}

/**
 * A note event from beat positions: start and end are swung, then converted to seconds.
 * The end is clamped after the start, so durations stay positive.
 */
export function noteAt(ctx: GenContext, inst: InstrumentId, start: number, length: number, note: number, velocity: number): NoteEvent {
  const spb = 60 / ctx.bpm
  const t0 = swingBeat(start, ctx.swing) * spb
  const t1 = swingBeat(start + Math.max(length, 1 / 64), ctx.swing) * spb
  const t = roundTime(t0)
  return { t, d: Math.max(roundTime(t1 - t0), 1e-3), inst, note, vel: vel(velocity) }
}

/** Sorts events by time (stable: ties keep generation order). */
export function sortEvents(events: NoteEvent[]): NoteEvent[] {
  return events.sort((a, b) => a.t - b.t)
}
