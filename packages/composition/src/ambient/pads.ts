/** Ambient pads: each chord held as a four-voice voicing, voice-led from the previous one. */
import type { NoteEvent } from '@auralis/protocol'
import type { GenContext } from '../context.js'
import { noteAt } from '../context.js'
import type { Rng } from '../rng.js'
import { voiceLead, voicingCandidates } from '../voicing.js'

/** Context for {@link ambientPads}. */
export interface PadContext extends GenContext {
  /** The last voicing played (MIDI notes, ascending), for voice leading. */
  readonly previousVoicing?: readonly number[] | null
}

/** Pad register: the lowest voice sits in [PAD_LOW, PAD_LOW + 12), the top at most PAD_TOP. */
const PAD_LOW = 48
const PAD_TOP = 79

/**
 * One sustained voicing per chord span, chosen for the least total semitone motion from the previous
 * voicing. Velocity follows intensity; the top voice speaks a little louder.
 */
export function ambientPads(rng: Rng, ctx: PadContext): NoteEvent[] {
  const events: NoteEvent[] = []
  let previous = ctx.previousVoicing ?? null
  for (const span of ctx.chords) {
    const candidates = voicingCandidates(span.info.tones, PAD_LOW, PAD_LOW + 11, PAD_TOP)
    const voicing = voiceLead(previous, candidates, 60 + 2 * ctx.intensity)
    const base = 34 + 34 * ctx.intensity + rng.range(-3, 3)
    voicing.forEach((note, i) => {
      events.push(noteAt(ctx, 'pad', span.start, span.length, note, base + (i === voicing.length - 1 ? 5 : 0)))
    })
    previous = voicing
  }
  return events
}

/** The last pad voicing in a list of events (ascending notes of the latest pad onset), or null. */
export function lastPadVoicing(events: readonly NoteEvent[]): number[] | null {
  let t = -1
  for (const e of events) if (e.inst === 'pad' && e.t > t) t = e.t
  if (t < 0) return null
  return events.filter((e) => e.inst === 'pad' && e.t === t).map((e) => e.note).sort((a, b) => a - b)
}
