/**
 * ADSR envelope with exponential segments, defined in closed form over voice-local frames `k` so that a GPU
 * kernel can evaluate any frame independently ({@link envelopeAt}). The CPU engine evaluates the same curve
 * recursively ({@link EnvelopeState}): each segment is re-anchored in closed form at its first frame and then
 * advanced by one multiplication per frame (the two agree to ~1e-12).
 *
 * Segments (all lengths in frames; `gate` = note-off frame):
 * - attack  `[0, A)`:       a(x) = (1 − e^(−cA·x)) / (1 − e^(−cA)),  x = k / A  — reaches exactly 1 at k = A
 * - decay   `[A, A+D)`:     S + (1 − S)·(e^(−cD·x) − e^(−cD)) / (1 − e^(−cD)), x = (k − A) / D — reaches S
 * - sustain `[A+D, gate)`:  S
 * - release `[gate, gate+R)`: L·(e^(−cD·x) − e^(−cD)) / (1 − e^(−cD)), x = (k − gate) / R — reaches exactly 0
 * - done    `k ≥ gate + R`: 0
 * where cA = {@link ATTACK_CURVE}, cD = {@link DECAY_CURVE} = ln 1000, and L = the held level at `gate`
 * (precomputed into the voice descriptor). A gate that falls inside attack or decay cuts them short.
 */
import { ATTACK_CURVE, DECAY_CURVE } from '../dsp/math.js'

/** Envelope parameters in frames, as stored in a voice descriptor. */
export interface EnvelopeFrames {
  /** Attack length (frames, ≥ 0). */
  readonly attack: number
  /** Decay length (frames, ≥ 0). */
  readonly decay: number
  /** Sustain level, 0–1. */
  readonly sustain: number
  /** Release length (frames, ≥ 0). */
  readonly release: number
  /** Note-off frame (≥ 1). */
  readonly gate: number
  /** Level at the gate ({@link heldLevelAt}(gate)), stored rounded to f32. */
  readonly releaseLevel: number
}

const EA = Math.exp(-ATTACK_CURVE)
const ED = Math.exp(-DECAY_CURVE)
const NA = 1 / (1 - EA)
const ND = 1 / (1 - ED)

/** The envelope level at frame `k` ignoring the gate (attack → decay → sustain forever). */
export function heldLevelAt(e: Pick<EnvelopeFrames, 'attack' | 'decay' | 'sustain'>, k: number): number {
  if (k < e.attack) return (1 - Math.exp((-ATTACK_CURVE * k) / e.attack)) * NA
  const j = k - e.attack
  if (j < e.decay) return e.sustain + (1 - e.sustain) * (Math.exp((-DECAY_CURVE * j) / e.decay) - ED) * ND
  return e.sustain
}

/** The envelope level at voice-local frame `k` (the closed-form definition; see the module comment). */
export function envelopeAt(e: EnvelopeFrames, k: number): number {
  if (k < 0) return 0
  if (k < e.gate) return heldLevelAt(e, k)
  const j = k - e.gate
  if (j >= e.release) return 0
  return e.releaseLevel * (Math.exp((-DECAY_CURVE * j) / e.release) - ED) * ND
}

/** Frames until the envelope is silent for good: gate + release. */
export function envelopeLength(e: EnvelopeFrames): number {
  return e.gate + e.release
}

const ATTACK = 0
const DECAY = 1
const SUSTAIN = 2
const RELEASE = 3
const DONE = 4

/**
 * Envelope parameter block (5 numbers at `pb`): attack, decay, release (frames), sustain, release level.
 * The gate is passed separately (both envelopes of a voice share it).
 */
export const ENV_PARAMS = 5
/** Envelope state block (7 numbers at `sb`): k, remaining, u, r, alpha, beta, segment. */
export const ENV_STATE = 7

/** Positions an envelope state at frame `k` (closed form). */
export function envSeek(P: Float64Array, pb: number, gate: number, S: Float64Array, sb: number, k: number): void {
  const attack = P[pb]
  const decay = P[pb + 1]
  const release = P[pb + 2]
  const sustain = P[pb + 3]
  const relLevel = P[pb + 4]
  let seg: number
  let j = 0
  let n = 1
  let end: number
  if (k >= gate) {
    j = k - gate
    if (j >= release) {
      seg = DONE; end = Infinity
    } else {
      seg = RELEASE; n = release; end = gate + release
    }
  } else if (k < attack) {
    seg = ATTACK; j = k; n = attack; end = Math.min(attack, gate)
  } else if (k < attack + decay) {
    seg = DECAY; j = k - attack; n = decay; end = Math.min(attack + decay, gate)
  } else {
    seg = SUSTAIN; end = gate
  }
  let u = 0
  let r = 0
  let alpha = 0
  let beta = 0
  if (seg === ATTACK) {
    u = Math.exp((-ATTACK_CURVE * j) / n); r = Math.exp(-ATTACK_CURVE / n); alpha = NA; beta = -NA
  } else if (seg === DECAY) {
    u = Math.exp((-DECAY_CURVE * j) / n); r = Math.exp(-DECAY_CURVE / n)
    alpha = sustain - (1 - sustain) * ED * ND; beta = (1 - sustain) * ND
  } else if (seg === SUSTAIN) {
    alpha = sustain
  } else if (seg === RELEASE) {
    u = Math.exp((-DECAY_CURVE * j) / n); r = Math.exp(-DECAY_CURVE / n)
    alpha = -relLevel * ED * ND; beta = relLevel * ND
  }
  S[sb] = k
  S[sb + 1] = end - k
  S[sb + 2] = u
  S[sb + 3] = r
  S[sb + 4] = alpha
  S[sb + 5] = beta
  S[sb + 6] = seg
}

/** Writes the next `n` levels into `out[0..n)` and advances the state (recursive form of {@link envelopeAt}). */
export function envFill(P: Float64Array, pb: number, gate: number, S: Float64Array, sb: number, out: Float64Array, n: number): void {
  let i = 0
  while (i < n) {
    const remaining = S[sb + 1]
    const run = n - i < remaining ? n - i : remaining
    const a = S[sb + 4]
    const b = S[sb + 5]
    if (b === 0) {
      for (let m = 0; m < run; m++) out[i + m] = a
    } else {
      const r = S[sb + 3]
      let u = S[sb + 2]
      for (let m = 0; m < run; m++) {
        out[i + m] = a + b * u
        u *= r
      }
      S[sb + 2] = u
    }
    i += run
    S[sb] += run
    S[sb + 1] = remaining - run
    if (remaining - run === 0) envSeek(P, pb, gate, S, sb, S[sb])
  }
}

/** Multiplies `out[0..n)` by the next `n` levels times `gain`, and advances (the fused form of {@link envFill}). */
export function envApply(
  P: Float64Array, pb: number, gate: number, S: Float64Array, sb: number, out: Float64Array, n: number, gain: number,
): void {
  let i = 0
  while (i < n) {
    const remaining = S[sb + 1]
    const run = n - i < remaining ? n - i : remaining
    const a = S[sb + 4] * gain
    const b = S[sb + 5] * gain
    if (b === 0) {
      for (let m = 0; m < run; m++) out[i + m] *= a
    } else {
      const r = S[sb + 3]
      let u = S[sb + 2]
      for (let m = 0; m < run; m++) {
        out[i + m] *= a + b * u
        u *= r
      }
      S[sb + 2] = u
    }
    i += run
    S[sb] += run
    S[sb + 1] = remaining - run
    if (remaining - run === 0) envSeek(P, pb, gate, S, sb, S[sb])
  }
}

/** Recursive evaluation of {@link envelopeAt} over consecutive frames (a convenience wrapper). */
export class EnvelopeState {
  private readonly p: Float64Array
  private readonly s = new Float64Array(ENV_STATE)
  private readonly gate: number

  constructor(e: EnvelopeFrames, k0 = 0) {
    this.p = Float64Array.of(e.attack, e.decay, e.release, e.sustain, e.releaseLevel)
    this.gate = e.gate
    envSeek(this.p, 0, this.gate, this.s, 0, k0)
  }

  /** Whether the envelope has finished (level 0 from now on). */
  get done(): boolean {
    return this.s[6] === DONE
  }

  /** Writes the next `n` levels into `out[0..n)` and advances. */
  fill(out: Float64Array, n: number): void {
    envFill(this.p, 0, this.gate, this.s, 0, out, n)
  }
}
