/**
 * Ambient texture: sparse kick, cymbal swells, bell sparkles (chord tones) and, at high intensity, soft
 * off-beat hats. Density, velocity and (for bells) register follow intensity.
 */
import type { NoteEvent } from '@auralis/protocol'
import { INSTRUMENTS } from '@auralis/protocol'
import type { GenContext } from '../context.js'
import { chordAt, noteAt } from '../context.js'
import type { Rng } from '../rng.js'
import { scaleChromas } from '../theory.js'

const drum = (id: 'kick' | 'swell' | 'hat') => INSTRUMENTS[id].drumNote as number

/** Composes the texture layer for a section. */
export function ambientPercussion(rng: Rng, ctx: GenContext): NoteEvent[] {
  const events: NoteEvent[] = []
  const i = ctx.intensity
  const bpb = ctx.beatsPerBar
  const inScale = new Array<boolean>(12).fill(false)
  for (const c of scaleChromas(ctx.key, ctx.mode)) inScale[c] = true
  const bellCentre = 74 + Math.round(14 * i)
  for (let bar = 0; bar < ctx.bars; bar++) {
    const b0 = bar * bpb
    // Kick: a heartbeat on the downbeat, more often (and a second one) as intensity rises.
    if (rng.chance(i < 0.25 ? i * 1.6 : 0.25 + 0.65 * i)) events.push(noteAt(ctx, 'kick', b0, 0.5, drum('kick'), 38 + 62 * i + rng.range(-4, 4)))
    if (i > 0.6 && bpb >= 4 && rng.chance((i - 0.6) * 2.2)) {
      events.push(noteAt(ctx, 'kick', b0 + (rng.chance(0.5) ? bpb / 2 : bpb / 2 + 0.5), 0.5, drum('kick'), 30 + 50 * i + rng.range(-4, 4)))
    }
    // Swell: a long cymbal wash at a bar start now and then.
    if (rng.chance(0.06 + 0.3 * i)) events.push(noteAt(ctx, 'swell', b0, bpb, drum('swell'), 22 + 48 * i + rng.range(-4, 4)))
    // Bells: one or two chord tones high up, register and density rising with intensity.
    if (rng.chance(0.15 + 0.5 * i)) {
      const count = rng.chance(0.25 + 0.4 * i) ? 2 : 1
      for (let k = 0; k < count; k++) {
        const pos = b0 + rng.int(bpb * 2) / 2
        const chord = chordAt(ctx, pos).info
        const cands: number[] = []
        const [lo, hi] = INSTRUMENTS.bell.range
        for (let n = Math.max(lo, bellCentre - 7); n <= Math.min(hi, bellCentre + 7); n++) if (chord.toneSet[n % 12] && inScale[n % 12]) cands.push(n)
        if (cands.length) events.push(noteAt(ctx, 'bell', pos, 2 + rng.int(3), rng.pick(cands), 26 + 44 * i + rng.range(-6, 6)))
      }
    }
    // Hats: soft off-beat ticks only when the music is up.
    if (i > 0.55) {
      for (let p = 0.5; p < bpb; p += 1) {
        if (rng.chance((i - 0.55) * 1.8)) events.push(noteAt(ctx, 'hat', b0 + p, 0.25, drum('hat'), 18 + 40 * i + rng.range(-5, 5)))
      }
    }
  }
  return events
}
