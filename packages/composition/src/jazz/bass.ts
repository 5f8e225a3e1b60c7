/**
 * The walking bass: quarter notes in E1–G2, a chord tone on every downbeat and chord change (the root
 * when the chord changes), passing tones from the chord scale, and a chromatic, scale-step or dominant
 * approach into the next target. Below intensity 0.2 it plays in two (half notes).
 */
import type { NoteEvent } from '@auralis/protocol'
import type { GenContext } from '../context.js'
import { chordAt, noteAt, totalBeats } from '../context.js'
import type { Rng } from '../rng.js'
import type { ChordInfo } from '../theory.js'
import { chordInfo, nearestPitch } from '../theory.js'

/** Lowest walking-bass note: E1. */
export const WALK_LOW = 28
/** Highest walking-bass note: G2. */
export const WALK_HIGH = 43

/** Context for {@link walkingBass}. */
export interface WalkingBassContext extends GenContext {
  /** The previous bass note. */
  readonly previousNote?: number | null
  /** The note the previous section's last beat approached (played on beat 1 if it fits the chord). */
  readonly plannedNote?: number | null
}

const inRange = (n: number) => n >= WALK_LOW && n <= WALK_HIGH

function chooseTarget(rng: Rng, chord: ChordInfo, prev: number, change: boolean): number {
  if (change || rng.chance(0.6)) return nearestPitch(chord.rootChroma, prev, WALK_LOW, WALK_HIGH)
  const tones = chord.tones.slice(1, 3)
  return nearestPitch(rng.pick(tones.length ? tones : [chord.rootChroma]), prev, WALK_LOW, WALK_HIGH)
}

function approach(rng: Rng, target: number, prev: number, scale: readonly boolean[]): number {
  const options: number[] = []
  const weights: number[] = []
  const add = (n: number, w: number) => {
    if (inRange(n) && n !== prev && n !== target) {
      options.push(n)
      weights.push(w)
    }
  }
  add(target - 1, prev < target ? 3 : 1.5)
  add(target + 1, prev > target ? 3 : 1.5)
  for (let s = 1; s <= 2; s++) {
    if (scale[(target + s) % 12]) add(target + s, 1.4)
    if (scale[(((target - s) % 12) + 12) % 12]) add(target - s, 1.4)
  }
  add(target + 7, 0.8)
  add(target - 5, 0.8)
  if (!options.length) return target - 1 >= WALK_LOW ? target - 1 : target + 1
  return options[rng.weighted(weights)]
}

function passing(rng: Rng, chord: ChordInfo, prev: number, goal: number): number {
  const options: number[] = []
  const weights: number[] = []
  for (let n = Math.max(WALK_LOW, prev - 5); n <= Math.min(WALK_HIGH, prev + 5); n++) {
    if (n === prev || !chord.scaleSet[n % 12]) continue
    const towards = Math.sign(goal - prev) === Math.sign(n - prev) || goal === prev ? 2 : 0.7
    options.push(n)
    weights.push((chord.toneSet[n % 12] ? 2 : 1) * towards * (Math.abs(n - prev) <= 2 ? 1.5 : 1))
  }
  if (!options.length) return prev + (prev < WALK_HIGH ? 1 : -1)
  return options[rng.weighted(weights)]
}

/**
 * Composes the bass line. Beat 1 of every bar, and every chord change, is a chord tone; the beat before a
 * bar line or chord change approaches it (a semitone, a scale step or a fifth away).
 */
export function walkingBass(rng: Rng, ctx: WalkingBassContext): NoteEvent[] {
  return walkingBassLine(rng, ctx).events
}

/** A walking line with the state to continue it: its last note and the note its last beat approached. */
export interface WalkingBassLine {
  /** The bass events. */
  readonly events: NoteEvent[]
  /** The last note walked (even when a two-feel skipped it). */
  readonly lastNote: number
  /** The target the last beat approached (the next section's beat 1), or null. */
  readonly plannedNote: number | null
}

/** {@link walkingBass} with its continuation state. */
export function walkingBassLine(rng: Rng, ctx: WalkingBassContext): WalkingBassLine {
  const total = totalBeats(ctx)
  const bpb = ctx.beatsPerBar
  const notes: number[] = []
  let prev = ctx.previousNote ?? 36
  let planned = ctx.plannedNote ?? null
  const next = ctx.nextChord ? chordInfo(ctx.nextChord) : null
  for (let b = 0; b < total; b++) {
    const span = chordAt(ctx, b)
    const chord = span.info
    const landing = b % bpb === 0 || b === span.start
    let note: number
    if (landing) {
      note = planned !== null && chord.toneSet[planned % 12] && inRange(planned) ? planned : chooseTarget(rng, chord, prev, true)
      planned = null
    } else {
      const nb = b + 1
      const nextLanding = nb % bpb === 0 || (nb < total && chordAt(ctx, nb).start === nb)
      if (nextLanding) {
        const nextChord = nb < total ? chordAt(ctx, nb).info : (next ?? chord)
        const change = nb >= total ? nextChord.symbol !== chord.symbol : chordAt(ctx, nb).symbol !== span.symbol
        planned = chooseTarget(rng, nextChord, prev, change)
        note = approach(rng, planned, prev, nextChord.scaleSet)
      } else {
        let goal = -1
        for (let k = b + 1; k <= total; k++) {
          if (k === total || k % bpb === 0 || chordAt(ctx, k).start === k) {
            const c = k < total ? chordAt(ctx, k).info : (next ?? chord)
            goal = nearestPitch(c.rootChroma, prev, WALK_LOW, WALK_HIGH)
            break
          }
        }
        note = passing(rng, chord, prev, goal)
      }
    }
    notes.push(note)
    prev = note
  }
  const events: NoteEvent[] = []
  const base = 76 + 22 * ctx.intensity
  const twoFeel = ctx.intensity < 0.2
  for (let b = 0; b < total; b++) {
    if (twoFeel && b % 2 === 1) continue
    const accent = b % bpb === 0 ? 4 : b % 2 === 1 ? 2 : 0
    events.push(noteAt(ctx, 'bass', b, twoFeel ? 2 : 1, notes[b], base + accent + rng.range(-4, 4)))
  }
  return { events, lastNote: prev, plannedNote: planned }
}
