/** Ambient bass: chord roots, long and low; more movement as intensity rises. */
import type { NoteEvent } from '@auralis/protocol'
import type { GenContext } from '../context.js'
import { noteAt } from '../context.js'
import type { Rng } from '../rng.js'
import { nearestPitch } from '../theory.js'

/** Context for {@link ambientBass}. */
export interface AmbientBassContext extends GenContext {
  /** The previous bass note, so roots are placed near it. */
  readonly previousNote?: number | null
}

/**
 * The root of each chord, sustained for the chord's span (placed near the previous note, C2–A2 region).
 * Above intensity 0.45 a held chord is re-struck mid-span on the root or fifth; above 0.75 a soft
 * off-beat octave pulse joins.
 */
export function ambientBass(rng: Rng, ctx: AmbientBassContext): NoteEvent[] {
  const events: NoteEvent[] = []
  let prev = ctx.previousNote ?? 38
  const v = 52 + 38 * ctx.intensity
  const bpb = ctx.beatsPerBar
  for (const span of ctx.chords) {
    const root = nearestPitch(span.info.rootChroma, Math.max(33, Math.min(45, prev)), 31, 47)
    const restrike = ctx.intensity > 0.45 && span.length >= 2 * bpb ? bpb : ctx.intensity > 0.6 && span.length >= bpb ? bpb / 2 : 0
    if (restrike > 0) {
      for (let p = 0; p < span.length; p += restrike) {
        const fifth = p > 0 && rng.chance(0.35) ? root + 7 : root
        events.push(noteAt(ctx, 'bass', span.start + p, restrike, fifth, v + (p === 0 ? 4 : 0) + rng.range(-3, 3)))
      }
    } else {
      events.push(noteAt(ctx, 'bass', span.start, span.length, root, v + rng.range(-3, 3)))
    }
    if (ctx.intensity > 0.75) {
      for (let p = 0.5; p < span.length; p += 1) {
        if (rng.chance(0.5)) events.push(noteAt(ctx, 'bass', span.start + p, 0.25, root + 12 <= 55 ? root + 12 : root, v - 22))
      }
    }
    prev = root
  }
  return events
}
