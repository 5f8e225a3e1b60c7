/**
 * Sax phrases: lines of swung eighths and quarters over the chord scales, chord tones on strong beats,
 * scale (and the odd chromatic) passing tones between, breathing rests between phrases, and motifs that
 * come back transposed to fit the harmony. Range A3–F5.
 */
import type { NoteEvent } from '@auralis/protocol'
import type { GenContext } from '../context.js'
import { chordAt, noteAt, totalBeats } from '../context.js'
import type { Rng } from '../rng.js'
import type { ChordInfo } from '../theory.js'

/** Lowest sax note: A3. */
export const SAX_LOW = 57
/** Highest sax note: F5. */
export const SAX_HIGH = 77

/** A remembered motif: the rhythm (beats per note) and the melodic steps (semitones) between its notes. */
export interface Motif {
  /** Note lengths in beats. */
  durations: number[]
  /** Semitone steps from each note to the next (one fewer than durations). */
  steps: number[]
}

/** What the sax carries between sections. */
export interface SaxState {
  /** Last note played. */
  note: number | null
  /** Motif to develop. */
  motif: Motif | null
  /** Beats of rest still to take at the start of the next section. */
  restBeats: number
  /** Current melodic direction (+1 up, -1 down). */
  direction: number
}

/** A fresh sax state. */
export function initialSaxState(): SaxState {
  return { note: null, motif: null, restBeats: 0, direction: 1 }
}

/** Context for {@link saxPhrase}. */
export interface SaxContext extends GenContext {
  /** State carried from the previous section. */
  readonly previous?: SaxState | null
}

/** Whether a position (beats in the bar) must carry a chord tone: beats 1 and 3 of 4/4, the downbeat otherwise. */
function strongPosition(posInBar: number, bpb: number): boolean {
  return posInBar === 0 || (bpb % 2 === 0 && bpb >= 4 && posInBar === bpb / 2)
}

function allowed(chord: ChordInfo, n: number, strong: boolean, onBeat: boolean, rng: Rng): boolean {
  const c = n % 12
  if (strong) return chord.toneSet[c]
  if (onBeat) return chord.toneSet[c] || (chord.scaleSet[c] && rng.chance(0.3))
  return chord.scaleSet[c]
}

function snap(chord: ChordInfo, want: number, strong: boolean, onBeat: boolean, rng: Rng): number {
  for (let d = 0; d <= 12; d++) {
    for (const n of d === 0 ? [want] : [want + d, want - d]) {
      if (n >= SAX_LOW && n <= SAX_HIGH && allowed(chord, n, strong, onBeat, rng)) return n
    }
  }
  return Math.max(SAX_LOW, Math.min(SAX_HIGH, want))
}

/** {@link saxPhrase} with the state to continue from. */
export function saxLine(rng: Rng, ctx: SaxContext): { events: NoteEvent[]; state: SaxState } {
  const prevState = ctx.previous ?? initialSaxState()
  const total = totalBeats(ctx)
  const bpb = ctx.beatsPerBar
  const i = ctx.intensity
  const centre = 65 + Math.round(4 * i)
  const events: NoteEvent[] = []
  let note = prevState.note ?? centre
  let dir = prevState.direction || 1
  let motif = prevState.motif
  let pos = prevState.restBeats
  while (pos < total) {
    // One phrase.
    if (rng.chance(0.5)) pos += 0.5
    const phraseBeats = 2 + rng.int(3 + Math.round(4 * i))
    const useMotif = motif !== null && rng.chance(0.45)
    const durations: number[] = []
    let len = 0
    if (useMotif && motif) {
      for (const d of motif.durations) {
        durations.push(d)
        len += d
      }
    }
    while (len < phraseBeats) {
      const d = [0.5, 1, 1.5][rng.weighted([3 + 3 * i, 2, 0.6])]
      durations.push(d)
      len += d
    }
    durations[durations.length - 1] = Math.max(durations[durations.length - 1], rng.pick([1, 1.5, 2]))
    const played: { pos: number; dur: number; note: number }[] = []
    let p = pos
    for (let k = 0; k < durations.length && p < total; k++) {
      const chord = chordAt(ctx, p).info
      const inBar = p % bpb
      const onBeat = p % 1 === 0
      const strong = strongPosition(inBar, bpb)
      let n: number
      if (useMotif && motif && k > 0 && k - 1 < motif.steps.length) {
        n = snap(chord, note + motif.steps[k - 1], strong, onBeat, rng)
      } else if (k === 0) {
        n = snap(chord, note + rng.pick([-3, -1, 1, 2, 4]), strong, onBeat, rng)
      } else {
        if (note >= SAX_HIGH - 3) dir = -1
        else if (note <= SAX_LOW + 3) dir = 1
        else if (rng.chance(0.22)) dir = -dir
        // A chromatic passing tone between two scale tones a whole step apart (off-beats only).
        const chromatic = !onBeat && rng.chance(0.15) && !chord.scaleSet[(note + dir + 120) % 12]
        n = chromatic ? note + dir : snap(chord, note + dir * rng.pick([1, 2, 2, 3, 4]), strong, onBeat, rng)
        if (n === note) n = snap(chord, note + dir * 3, strong, onBeat, rng)
      }
      played.push({ pos: p, dur: durations[k], note: n })
      note = n
      p += durations[k]
    }
    played.forEach((x, k) => {
      const last = k === played.length - 1
      const v = 66 + 26 * i + (x.pos % 1 ? 6 : 0) - (last ? 4 : 0) + rng.range(-4, 4)
      events.push(noteAt(ctx, 'sax', x.pos, x.dur, x.note, v))
    })
    if (!useMotif && played.length >= 3) {
      const m = played.slice(0, Math.min(4, played.length))
      motif = { durations: m.map((x) => x.dur), steps: m.slice(1).map((x, k) => x.note - m[k].note) }
    }
    // Breathe.
    pos = p + [1, 1.5, 2, 3, 4][rng.weighted([1 + i, 1.5, 2, 1.5 - i, 1 - 0.8 * i])]
  }
  return { events, state: { note, motif, restBeats: pos - total, direction: dir } }
}

/** Composes the sax part for a section (see the module description). */
export function saxPhrase(rng: Rng, ctx: SaxContext): NoteEvent[] {
  return saxLine(rng, ctx).events
}
