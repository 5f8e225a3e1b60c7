/**
 * Piano comping: rootless voicings (A form 3-5-7-9 / 3-13-7-9, B form 7-9-3-5 / 7-9-3-13, from tonal's
 * chord intervals) in C3–C5, voice-led, played in syncopated rhythmic cells (Charleston, anticipations,
 * off-beat stabs) whose density follows intensity. An off-beat hit just before a chord change anticipates it.
 */
import type { NoteEvent } from '@auralis/protocol'
import type { GenContext } from '../context.js'
import { chordAt, noteAt, totalBeats } from '../context.js'
import type { Rng } from '../rng.js'
import type { ChordInfo } from '../theory.js'
import { chordInfo } from '../theory.js'
import { voiceLead, voicingCandidates } from '../voicing.js'

/** Lowest comping note: C3. */
export const COMP_LOW = 48
/** Highest comping note: C5. */
export const COMP_HIGH = 72

/** Context for {@link jazzComping}. */
export interface CompingContext extends GenContext {
  /** The last voicing played, for voice leading. */
  readonly previousVoicing?: readonly number[] | null
}

/** Rhythm cells for one 4/4 bar: [position in beats, length in beats][], with a weight at low and high intensity. */
const CELLS: readonly { hits: readonly (readonly [number, number])[]; low: number; high: number }[] = [
  { hits: [[0, 1], [1.5, 1]], low: 3, high: 2 }, // Charleston
  { hits: [[1.5, 1], [3.5, 0.5]], low: 1.5, high: 2 }, // and-of-2, anticipation
  { hits: [[0.5, 1], [2.5, 1]], low: 1, high: 2 },
  { hits: [[1, 1], [3, 1]], low: 1.5, high: 1 }, // 2 and 4
  { hits: [[0, 2], [2.5, 1]], low: 2, high: 1 },
  { hits: [[2.5, 1.5]], low: 2.5, high: 0.5 },
  { hits: [[0, 0.5], [1.5, 0.5], [2.5, 0.5], [3.5, 0.5]], low: 0.2, high: 2.5 },
  { hits: [[0.5, 0.5], [1.5, 1], [3, 0.5], [3.5, 0.5]], low: 0.2, high: 2 },
  { hits: [[1.5, 2]], low: 2, high: 0.5 },
]

function rootlessCandidates(chord: ChordInfo): number[][] {
  const out: number[][] = []
  for (const form of [chord.rootlessA, chord.rootlessB]) {
    for (let bottom = COMP_LOW; bottom <= 62; bottom++) {
      if (bottom % 12 !== form[0]) continue
      const v = [bottom]
      for (let k = 1; k < form.length; k++) {
        let p = v[k - 1] + 1
        while (p % 12 !== form[k]) p++
        v.push(p)
      }
      if (v[v.length - 1] <= COMP_HIGH) out.push(v)
    }
  }
  return out.length ? out : voicingCandidates(chord.tones, COMP_LOW, 60, COMP_HIGH)
}

/** Composes the piano comping for a section. */
export function jazzComping(rng: Rng, ctx: CompingContext): NoteEvent[] {
  const events: NoteEvent[] = []
  const bpb = ctx.beatsPerBar
  const total = totalBeats(ctx)
  const i = ctx.intensity
  let previous = ctx.previousVoicing ?? null
  let lastSymbol = ''
  let voicing: number[] = []
  const weights = CELLS.map((c) => c.low * (1 - i) + c.high * i)
  for (let bar = 0; bar < ctx.bars; bar++) {
    const cell = bpb === 4 ? CELLS[rng.weighted(weights)].hits : [[0, 1], [bpb > 2 ? 1.5 : 0.5, 1]] as const
    for (const [pos, len] of cell) {
      if (pos >= bpb) continue
      const at = bar * bpb + pos
      // An off-beat in the last half-beat before a new chord anticipates it.
      const ahead = at + 0.5
      let chord = chordAt(ctx, at).info
      if (pos % 1 === 0.5) {
        if (ahead < total && chordAt(ctx, ahead).start === ahead) chord = chordAt(ctx, ahead).info
        else if (ahead >= total && ctx.nextChord) chord = chordInfo(ctx.nextChord)
      }
      if (chord.symbol !== lastSymbol) {
        voicing = voiceLead(previous, rootlessCandidates(chord), 60)
        previous = voicing
        lastSymbol = chord.symbol
      } else if (pos === cell[0][0] && rng.chance(0.3)) {
        // A held chord in a new bar: move to its other nearby voicing (A ↔ B form or a new inversion).
        const current = voicing
        const others = rootlessCandidates(chord).filter((v) => v.some((n, k) => n !== current[k]))
        if (others.length) {
          voicing = voiceLead(current, others, 60)
          previous = voicing
        }
      }
      const base = 50 + 30 * i + (pos % 1 ? 5 : 0) + rng.range(-5, 5)
      voicing.forEach((note, k) => events.push(noteAt(ctx, 'piano', at, len, note, base + (k === voicing.length - 1 ? 6 : 0))))
    }
  }
  return events
}

/** The last piano voicing in a list of events (ascending notes of the latest piano onset), or null. */
export function lastPianoVoicing(events: readonly NoteEvent[]): number[] | null {
  let t = -1
  for (const e of events) if (e.inst === 'piano' && e.t > t) t = e.t
  if (t < 0) return null
  return events.filter((e) => e.inst === 'piano' && e.t === t).map((e) => e.note).sort((a, b) => a - b)
}
