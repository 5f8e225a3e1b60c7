/**
 * The ambient constraint melody: 1–3 notes a bar with long sustains and rests; chord tones on strong beats,
 * scale passing tones between, mostly stepwise, in a register that rises with intensity.
 */
import type { InstrumentId, NoteEvent } from '@auralis/protocol'
import { INSTRUMENTS } from '@auralis/protocol'
import type { GenContext } from '../context.js'
import { chordAt, noteAt } from '../context.js'
import type { Rng } from '../rng.js'
import { scaleChromas } from '../theory.js'

/** Context for {@link ambientMelody}. */
export interface MelodyContext extends GenContext {
  /** The previous melody note, for stepwise continuation. */
  readonly previousNote?: number | null
  /** Instrument to play on (default `lead`). */
  readonly inst?: InstrumentId
}

/** Whether a position (beats within the bar) is a strong beat: the downbeat, or the middle of an even bar. */
export function isStrongBeat(posInBar: number, beatsPerBar: number): boolean {
  if (posInBar === 0) return true
  return beatsPerBar >= 4 && beatsPerBar % 2 === 0 && posInBar === beatsPerBar / 2
}

function intervalWeight(step: number, strong: boolean): number {
  const a = Math.abs(step)
  if (a === 0) return 0.5
  if (a <= 2) return strong ? 3 : 5
  if (a <= 4) return 3
  if (a <= 5) return 1.6
  if (a <= 7) return 1
  return 0.25
}

/**
 * Composes the melody. Every note is in the mode's scale; every note on a strong beat is a tone of the
 * chord sounding there. Each bar has 1–3 onsets at least a beat apart; notes sustain, sometimes with a rest
 * before the next.
 */
export function ambientMelody(rng: Rng, ctx: MelodyContext): NoteEvent[] {
  const inst = ctx.inst ?? 'lead'
  const [lo, hi] = INSTRUMENTS[inst].range
  const scale = scaleChromas(ctx.key, ctx.mode)
  const inScale = new Array<boolean>(12).fill(false)
  for (const c of scale) inScale[c] = true
  const centre = 64 + Math.round(10 * ctx.intensity)
  const wLo = Math.max(lo, centre - 8)
  const wHi = Math.min(hi, centre + 10)
  const bpb = ctx.beatsPerBar
  let prev = ctx.previousNote ?? centre
  const events: NoteEvent[] = []
  const weights: number[] = []
  const cands: number[] = []
  for (let bar = 0; bar < ctx.bars; bar++) {
    const count = 1 + rng.weighted([0.55 - 0.35 * ctx.intensity, 0.35, 0.1 + 0.35 * ctx.intensity])
    const onsets: number[] = []
    let pos = rng.chance(0.55) ? 0 : rng.pick([0.5, 1, 1.5].filter((p) => p < bpb))
    while (onsets.length < count && pos < bpb) {
      onsets.push(pos)
      pos += rng.pick([1, 1.5, 2, 2, 3])
    }
    for (let i = 0; i < onsets.length; i++) {
      const at = bar * bpb + onsets[i]
      const strong = isStrongBeat(onsets[i], bpb)
      const chord = chordAt(ctx, at).info
      cands.length = 0
      weights.length = 0
      for (let n = wLo; n <= wHi; n++) {
        const c = n % 12
        if (!inScale[c]) continue
        if (strong && !chord.toneSet[c]) continue
        cands.push(n)
        const pull = Math.exp(-(((n - centre) / 9) ** 2))
        weights.push(intervalWeight(n - prev, strong) * (0.3 + pull) * (chord.toneSet[c] ? 1.3 : 1))
      }
      if (cands.length === 0) continue
      const note = cands[rng.weighted(weights)]
      const room = i + 1 < onsets.length ? onsets[i + 1] - onsets[i] : bpb - onsets[i] + (rng.chance(0.5) ? 1 : 0)
      const rest = room > 1 && rng.chance(0.4) ? 0.5 : 0
      const v = 48 + 34 * ctx.intensity + (strong ? 6 : 0) + rng.range(-5, 5)
      events.push(noteAt(ctx, inst, at, room - rest, note, v))
      prev = note
    }
  }
  return events
}
