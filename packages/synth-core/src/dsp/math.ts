/**
 * Numeric primitives shared by the CPU engine. Every function here has a one-line WGSL equivalent; the
 * comments say which, so a GPU kernel can reproduce the engine's samples.
 */

/** 2^-32: converts a u32 phase to cycles in [0, 1). */
export const U32_TO_UNIT = 2.3283064365386963e-10
/** 2^32. */
export const TWO_POW_32 = 4294967296
/** 2π. */
export const TAU = Math.PI * 2

/** Curvature of the attack segment: a(x) = (1 − e^(−c·x)) / (1 − e^(−c)). */
export const ATTACK_CURVE = 3
/** Curvature of decay and release segments: ln(1000), so the segment covers 60 dB of its range. */
export const DECAY_CURVE = Math.log(1000)

/** Filter coefficients are recomputed every this many voice-local frames (k % 16 == 0). */
export const CONTROL_INTERVAL = 16

/** States with a magnitude below this are flushed to exactly 0 (denormal protection, no DC injection). */
export const FLUSH = 1e-20

/** Size of the CPU sine table (GPU kernels use `sin()` directly; the table's error is < 3e-7). */
const SINE_BITS = 12
const SINE_SIZE = 1 << SINE_BITS
const SINE_SHIFT = 32 - SINE_BITS
const SINE_FRAC_MASK = (1 << SINE_SHIFT) - 1
const SINE_FRAC_SCALE = 1 / (1 << SINE_SHIFT)
/** sin(2π i / 4096) for i = 0..4096 (one guard point). */
export const SINE_TABLE: Float64Array = (() => {
  const t = new Float64Array(SINE_SIZE + 1)
  for (let i = 0; i <= SINE_SIZE; i++) t[i] = Math.sin((TAU * i) / SINE_SIZE)
  return t
})()

/** sin(2π·p/2^32) for a u32 phase `p`, by table with linear interpolation. WGSL: `sin(TAU * f32(p) * 2^-32)`. */
export function sinU32(p: number): number {
  const i = p >>> SINE_SHIFT
  const f = (p & SINE_FRAC_MASK) * SINE_FRAC_SCALE
  const a = SINE_TABLE[i]
  return a + (SINE_TABLE[i + 1] - a) * f
}

/** sin(2π·t) for `t` in cycles (any real). WGSL: `sin(TAU * fract(t))`. */
export function sinCycles(t: number): number {
  const x = (t - Math.floor(t)) * SINE_SIZE
  const i = x | 0
  const a = SINE_TABLE[i]
  return a + (SINE_TABLE[i + 1] - a) * (x - i)
}

/**
 * The PCG hash (Jarzynski & Olano 2020, "Hash Functions for GPU Rendering"): a u32 → u32 permutation.
 * WGSL:
 * ```wgsl
 * fn pcg(v: u32) -> u32 { let s = v * 747796405u + 2891336453u;
 *   let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u; return (w >> 22u) ^ w; }
 * ```
 */
export function pcgHash(v: number): number {
  const s = (Math.imul(v, 747796405) + 2891336453) >>> 0
  const w = Math.imul(((s >>> ((s >>> 28) + 4)) ^ s) >>> 0, 277803737) >>> 0
  return ((w >>> 22) ^ w) >>> 0
}

/**
 * White noise in [−1, 1) at voice-local frame `k` for a stream key `key` (= `pcgHash(seed ^ salt)`).
 * WGSL: `f32(pcg(k + key)) * 4.656612873077393e-10 - 1.0`.
 */
export function noiseAt(key: number, k: number): number {
  return pcgHash((k + key) >>> 0) * 4.656612873077393e-10 - 1
}

/** Mixes several integers into one u32 seed (order-sensitive). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5
  for (const p of parts) {
    const lo = p >>> 0
    const hi = Math.floor(p / TWO_POW_32) >>> 0
    h = pcgHash((h ^ lo) >>> 0)
    h = pcgHash((h ^ hi ^ 0x9e3779b9) >>> 0)
  }
  return h
}

/**
 * PolyBLEP residual for a unit step at phase 0 with increment `dt` (Välimäki & Huovilainen). `t` in [0, 1).
 * Subtract it from a naive saw (2t − 1); add it at rising edges of a square.
 */
export function polyBlep(t: number, dt: number): number {
  if (t < dt) {
    const x = t / dt
    return x + x - x * x - 1
  }
  if (t > 1 - dt) {
    const x = (t - 1) / dt
    return x * x + x + x + 1
  }
  return 0
}

/** Rounds to the nearest f32 (descriptor floats are f32 so that the GPU sees the same parameters). */
export const f32 = Math.fround

/** Linear gain for a level in dB. */
export function dbToGain(db: number): number {
  return Math.pow(10, db / 20)
}

/** Level in dB for a linear gain (−Infinity for 0). */
export function gainToDb(g: number): number {
  return 20 * Math.log10(g)
}

/** MIDI note to frequency, A4 = 440 Hz. */
export function midiToHz(note: number): number {
  return 440 * Math.pow(2, (note - 69) / 12)
}

/** Phase increment (u32 per frame) for a frequency. Frequencies at or above Nyquist wrap (callers clamp). */
export function phaseInc(hz: number, sampleRate: number): number {
  const cycles = hz / sampleRate
  const frac = cycles - Math.floor(cycles)
  return Math.round(frac * TWO_POW_32) >>> 0
}
