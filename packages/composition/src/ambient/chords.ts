/**
 * Ambient harmony: a bigram Markov chain over the seven diatonic seventh chords of the mode, one decision
 * per bar (so a chord changes at most once a bar), with heavy self-transitions so chords are often held for
 * two bars or more.
 */
import type { Key, Mode } from '@auralis/protocol'
import type { Rng } from '../rng.js'
import { diatonicChords } from '../theory.js'

/**
 * A 7×7 table of transition weights between scale degrees (row = from, column = to; degree 0 is the modal
 * tonic). Rows need not sum to 1. The diagonal is the weight of holding the chord another bar.
 */
export type TransitionTable = readonly (readonly number[])[]

/**
 * The default table: functional tendencies softened for ambient music (plagal and submediant moves,
 * gravity towards the tonic) with a heavy diagonal, so harmony moves slowly.
 */
export const DEFAULT_TRANSITIONS: TransitionTable = Object.freeze([
  //  I    II   III   IV    V    VI   VII
  [4.0, 1.5, 1.0, 2.5, 1.5, 2.5, 0.3], // I
  [1.0, 4.0, 0.5, 1.0, 2.5, 1.0, 0.4], // II
  [1.0, 0.5, 4.0, 2.0, 0.5, 2.5, 0.2], // III
  [2.5, 1.5, 0.5, 4.0, 2.0, 1.5, 0.3], // IV
  [3.0, 0.5, 1.0, 1.5, 4.0, 2.0, 0.2], // V
  [1.5, 2.0, 1.0, 2.5, 1.0, 4.0, 0.2], // VI
  [3.0, 0.3, 2.0, 0.3, 0.5, 1.0, 2.5], // VII
].map((row) => Object.freeze(row)))

/** Where the chain stands: the degree sounding and for how many bars it has sounded. */
export interface MarkovState {
  /** Scale degree 0–6 of the current chord (0 = modal tonic). */
  degree: number
  /** Bars the current chord has lasted so far. */
  held: number
}

/** Context for {@link markovChords}. */
export interface MarkovContext {
  /** Key root. */
  readonly key: Key
  /** Mode. */
  readonly mode: Mode
  /** Bars to compose. */
  readonly bars: number
  /** Intensity 0–1: higher intensity moves the harmony a little faster. */
  readonly intensity: number
  /** Transition table (defaults to {@link DEFAULT_TRANSITIONS}). */
  readonly transitions?: TransitionTable
  /** The chain's state before this stretch; absent: start on the tonic. */
  readonly previous?: MarkovState | null
}

/** Chords for a stretch of bars, one degree per bar. */
export interface MarkovResult {
  /** Chord symbols placed at the start of each bar where the chord changes (and at bar 0). */
  readonly chords: { bar: number; beat: number; symbol: string }[]
  /** Roman numeral of each bar's chord (tonal's spelling, relative to the modal tonic). */
  readonly romans: string[]
  /** Degree 0–6 of each bar's chord. */
  readonly degrees: number[]
  /** State after the last bar. */
  readonly state: MarkovState
}

/**
 * Draws one chord per bar from the Markov chain. The weights of the table are shaped for slow ambient
 * harmony: holding weighs less the longer a chord has lasted (and as intensity rises), and diminished
 * chords other than the tonic are rarely chosen.
 */
export function markovChords(rng: Rng, ctx: MarkovContext): MarkovResult {
  const table = ctx.transitions ?? DEFAULT_TRANSITIONS
  const diatonic = diatonicChords(ctx.key, ctx.mode)
  let degree = ctx.previous?.degree ?? -1
  let held = ctx.previous?.held ?? 0
  const degrees: number[] = []
  const weights = new Array<number>(7)
  for (let bar = 0; bar < ctx.bars; bar++) {
    if (degree < 0) {
      degree = 0
      held = 1
    } else {
      const row = table[degree]
      for (let to = 0; to < 7; to++) {
        let w = row[to]
        if (to === degree) w *= (held >= 4 ? 0.15 : held >= 2 ? 0.8 : 2.2) * (1.25 - 0.5 * ctx.intensity)
        else if (diatonic[to].diminished && to !== 0) w *= 0.12
        weights[to] = w
      }
      const to = rng.weighted(weights)
      if (to === degree) held++
      else {
        degree = to
        held = 1
      }
    }
    degrees.push(degree)
  }
  const chords: { bar: number; beat: number; symbol: string }[] = []
  for (let bar = 0; bar < degrees.length; bar++) {
    if (bar === 0 || degrees[bar] !== degrees[bar - 1]) chords.push({ bar, beat: 0, symbol: diatonic[degrees[bar]].symbol })
  }
  return { chords, romans: degrees.map((d) => diatonic[d].roman), degrees, state: { degree, held } }
}

/**
 * Checks a transition table: 7 rows of 7 finite, non-negative numbers, each row with a positive sum.
 * Returns a problem in words, or null when valid.
 */
export function transitionTableProblem(table: unknown): string | null {
  if (!Array.isArray(table) || table.length !== 7) return 'must be 7 rows'
  for (let r = 0; r < 7; r++) {
    const row = table[r] as unknown
    if (!Array.isArray(row) || row.length !== 7) return `row ${r} must have 7 weights`
    let sum = 0
    for (const w of row) {
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) return `row ${r} has a weight that is not a finite number ≥ 0`
      sum += w
    }
    if (sum <= 0) return `row ${r} sums to 0`
  }
  return null
}
