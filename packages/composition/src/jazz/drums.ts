/**
 * Jazz drums: the ride's "ding, ding-a" pattern (quarters with swung skip notes after 2 and 4), pedal hi-hat
 * on 2 and 4, feathered kick, snare comping and kick "bombs", fills at phrase ends and a crash into the next
 * phrase. Density and dynamics follow intensity.
 */
import type { NoteEvent } from '@auralis/protocol'
import { INSTRUMENTS } from '@auralis/protocol'
import type { GenContext } from '../context.js'
import { noteAt } from '../context.js'
import type { Rng } from '../rng.js'

/** Context for {@link jazzDrums}. */
export interface DrumContext extends GenContext {
  /** Bar number of the section's first bar within the form (phrases are 8 bars; 4 in short forms). */
  readonly formBar?: number
  /** Phrase length in bars (default 8). */
  readonly phraseBars?: number
}

const key = (id: 'kick' | 'snare' | 'hat' | 'openhat' | 'ride' | 'swell') => INSTRUMENTS[id].drumNote as number
const STEP = 0.25

/** Composes the drums for a section. */
export function jazzDrums(rng: Rng, ctx: DrumContext): NoteEvent[] {
  const events: NoteEvent[] = []
  const i = ctx.intensity
  const bpb = ctx.beatsPerBar
  const phrase = ctx.phraseBars ?? 8
  const formBar = ctx.formBar ?? 0
  for (let bar = 0; bar < ctx.bars; bar++) {
    const b0 = bar * bpb
    const inPhrase = (((formBar + bar) % phrase) + phrase) % phrase
    const phraseEnd = inPhrase === phrase - 1
    const phraseStart = inPhrase === 0
    if (phraseStart && rng.chance(0.2 + 0.6 * i)) events.push(noteAt(ctx, 'swell', b0, 2, key('swell'), 62 + 45 * i + rng.range(-5, 5)))
    for (let beat = 0; beat < bpb; beat++) {
      const backbeat = beat % 2 === 1
      // Ride: every beat, accent on 2 and 4.
      events.push(noteAt(ctx, 'ride', b0 + beat, STEP, key('ride'), 64 + 26 * i + (backbeat ? 8 : 0) + rng.range(-4, 4)))
      // The skip note: the swung off-beat after 2 and 4 ("ding, ding-a ding, ding-a").
      if (backbeat || (i > 0.6 && rng.chance((i - 0.6) * 1.2))) {
        events.push(noteAt(ctx, 'ride', b0 + beat + 0.5, STEP, key('ride'), 52 + 24 * i + rng.range(-4, 4)))
      }
      if (backbeat) events.push(noteAt(ctx, 'hat', b0 + beat, STEP, key('hat'), 56 + 24 * i + rng.range(-4, 4)))
      if (i > 0.3) events.push(noteAt(ctx, 'kick', b0 + beat, STEP, key('kick'), 20 + 14 * i + rng.range(-3, 3)))
      const fill = phraseEnd && beat >= bpb - 2
      if (fill) {
        const vel = 58 + 40 * i
        events.push(noteAt(ctx, 'snare', b0 + beat, STEP, key('snare'), vel - 10 + rng.range(-4, 4)))
        if (rng.chance(0.4 + 0.5 * i)) events.push(noteAt(ctx, 'snare', b0 + beat + 0.5, STEP, key('snare'), vel + rng.range(-4, 4)))
        if (beat === bpb - 1 && rng.chance(0.6)) events.push(noteAt(ctx, 'kick', b0 + beat + 0.5, STEP, key('kick'), 70 + 35 * i))
        continue
      }
      // Comping on the off-beats: snare chatter and the occasional kick bomb.
      if (rng.chance(0.07 + 0.3 * i)) events.push(noteAt(ctx, 'snare', b0 + beat + 0.5, STEP, key('snare'), 34 + 36 * i + rng.range(-6, 6)))
      if (rng.chance(0.03 + 0.14 * i)) events.push(noteAt(ctx, 'kick', b0 + beat + 0.5, STEP, key('kick'), 62 + 40 * i + rng.range(-6, 6)))
    }
    if (i > 0.75 && rng.chance(0.15)) events.push(noteAt(ctx, 'openhat', b0 + bpb - 0.5, 0.5, key('openhat'), 50 + 30 * i))
  }
  return events
}
