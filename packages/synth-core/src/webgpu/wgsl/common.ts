/**
 * WGSL helpers shared by the kernels: the engine's hash noise, an accurate sine (a polynomial rather than the
 * built-in `sin`, whose error on software adapters reaches ~2e-4), PolyBLEP, and the closed-form ADSR — each the
 * counterpart of a function in `dsp/math.ts` or `voice/envelope.ts`.
 */
import { ATTACK_CURVE, DECAY_CURVE, FLUSH } from '../../dsp/math.js'

/** Formats a number as a WGSL float literal (always with a fraction or an exponent). */
export function wgslFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite WGSL literal: ${x}`)
  const s = String(x)
  return /[.eE]/.test(s) ? s : `${s}.0`
}

const EA = Math.exp(-ATTACK_CURVE)
const ED = Math.exp(-DECAY_CURVE)

/** The shared WGSL prelude (constants and functions; no bindings). */
export const COMMON_WGSL: string = /* wgsl */ `
const TAU: f32 = ${wgslFloat(2 * Math.PI)};
const U24: f32 = ${wgslFloat(2 ** -24)};
const U32F: f32 = ${wgslFloat(2 ** -32)};
const ATTACK_CURVE: f32 = ${wgslFloat(ATTACK_CURVE)};
const DECAY_CURVE: f32 = ${wgslFloat(DECAY_CURVE)};
const ENV_NA: f32 = ${wgslFloat(1 / (1 - EA))};
const ENV_ED: f32 = ${wgslFloat(ED)};
const ENV_ND: f32 = ${wgslFloat(1 / (1 - ED))};
const FLUSH: f32 = ${wgslFloat(FLUSH)};
const LN2: f32 = ${wgslFloat(Math.LN2)};

// The PCG hash (Jarzynski & Olano 2020), as pcgHash() in dsp/math.ts.
fn pcg(v: u32) -> u32 {
  let s = v * 747796405u + 2891336453u;
  let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (w >> 22u) ^ w;
}

// White noise in [-1, 1) at voice-local frame k, as noiseAt() in dsp/math.ts.
fn noise_at(key: u32, k: u32) -> f32 {
  return f32(pcg(k + key)) * 4.656612873077393e-10 - 1.0;
}

// sin(2*pi*t) for t in cycles: reduction to a quarter wave, then the Taylor series to y^13 (error < 1e-9
// before f32 rounding).
fn sin_cycles(t: f32) -> f32 {
  var x = t - floor(t + 0.5);
  if (x > 0.25) { x = 0.5 - x; } else if (x < -0.25) { x = -0.5 - x; }
  let y = x * TAU;
  let y2 = y * y;
  return y * (1.0 + y2 * (-1.6666666666666666e-1 + y2 * (8.333333333333333e-3 + y2 * (-1.984126984126984e-4
    + y2 * (2.7557319223985893e-6 + y2 * (-2.505210838544172e-8 + y2 * 1.6059043836821613e-10))))));
}

// A u32 phase as cycles in [0, 1) (the top 24 bits: exact in f32, never rounds up to 1).
fn unit_phase(p: u32) -> f32 {
  return f32(p >> 8u) * U24;
}

// sin(2*pi*p/2^32), as sinU32() in dsp/math.ts.
fn sin_u32(p: u32) -> f32 {
  return sin_cycles(unit_phase(p));
}

// tan(pi*x) for x in (0, 0.5).
fn tan_pi(x: f32) -> f32 {
  let h = 0.5 * x;
  return sin_cycles(h) / sin_cycles(h + 0.25);
}

// PolyBLEP residual, as polyBlep() in dsp/math.ts.
fn poly_blep(t: f32, dt: f32) -> f32 {
  if (t < dt) {
    let x = t / dt;
    return x + x - x * x - 1.0;
  }
  if (t > 1.0 - dt) {
    let x = (t - 1.0) / dt;
    return x * x + x + x + 1.0;
  }
  return 0.0;
}

// The ADSR level at voice-local frame k, as envelopeAt() in voice/envelope.ts.
fn env_at(k: f32, gate: f32, attack: f32, decay: f32, sustain: f32, release: f32, release_level: f32) -> f32 {
  if (k < gate) {
    if (k < attack) {
      return (1.0 - exp(-ATTACK_CURVE * k / attack)) * ENV_NA;
    }
    let j = k - attack;
    if (j < decay) {
      return sustain + (1.0 - sustain) * (exp(-DECAY_CURVE * j / decay) - ENV_ED) * ENV_ND;
    }
    return sustain;
  }
  let j = k - gate;
  if (j >= release) {
    return 0.0;
  }
  return release_level * (exp(-DECAY_CURVE * j / release) - ENV_ED) * ENV_ND;
}
`
