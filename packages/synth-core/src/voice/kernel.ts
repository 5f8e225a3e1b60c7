/**
 * The CPU voice kernel: renders one {@link VoiceDescriptor} frame by frame. This is the reference the WGSL
 * kernels reproduce, so the per-frame math is written to be evaluable per voice-local frame `k`:
 *
 * 1. **Parallel part** (closed form in k; a GPU computes each frame independently):
 *    - time warp W(k) (frames) and rate R(k) from the pitch envelope and vibrato;
 *    - oscillator phases `phase[s] + inc[s]·k (mod 2^32)`, plus `inc[s]·W(k)/2^32` cycles when warped;
 *      saw/square band-limited by PolyBLEP with dt = inc·R(k)/2^32; triangle naive; sine;
 *    - FM: carrier phase + I(k)/(2π)·sin(2π·modulator phase) cycles;
 *    - metallic bank: six naive squares; noise: `pcg(k + pcg(seed))`;
 *    - exponential decays e^(−k/τ) (oscillator decay, FM index, pitch, noise), ADSR ({@link envelopeAt}).
 *    The CPU advances these recursively (one multiply per frame, re-anchored in closed form at segment
 *    starts) — the results agree with the closed form to ~1e-12.
 * 2. **Recursive part** (sequential along k, per voice): the Karplus–Strong loop and the state-variable
 *    filter (coefficients recomputed at k % {@link CONTROL_INTERVAL} == 0 from the filter envelope).
 * 3. out(k) = (filter(pre(k)) + post(k)) · amp(k) · gain, where pre/post split the sources by the
 *    `oscToFilter` / `noiseToFilter` flags (Karplus–Strong always goes to the filter when there is one).
 *
 * Every state advances per frame, so rendering a voice in any split of blocks gives identical samples.
 */
import {
  CONTROL_INTERVAL, FLUSH, TAU, U32_TO_UNIT, noiseAt, pcgHash, sinCycles, sinU32,
} from '../dsp/math.js'
import { ENV_STATE, envApply, envFill, envSeek, type EnvelopeFrames } from './envelope.js'
import {
  FILTER_MODE, METAL_COUNT, PHASE_SLOTS, SLOT_B, SLOT_FM_CAR, SLOT_FM_MOD, SLOT_LFO, SLOT_METAL, VOICE_FLAG,
  VOICE_OFFSETS as O, WAVE, voiceParams, type VoiceDescriptor,
} from './descriptor.js'

/** Largest block a voice renders at once (callers split longer spans). */
export const MAX_BLOCK = 256

/** Salt for the Karplus–Strong excitation noise stream (the plain noise stream uses salt 0). */
export const KS_NOISE_SALT = 0x5bd1e995

const warpW = new Float64Array(MAX_BLOCK)
const warpR = new Float64Array(MAX_BLOCK)
const pre = new Float64Array(MAX_BLOCK)
const env = new Float64Array(MAX_BLOCK) // filter envelope

/** Amplitude-envelope parameters of a descriptor. */
export function ampEnvelope(d: VoiceDescriptor): EnvelopeFrames {
  return {
    attack: d.ampAttack, decay: d.ampDecay, sustain: d.ampSustain, release: d.ampRelease,
    gate: d.gate, releaseLevel: d.ampReleaseLevel,
  }
}

/** Filter-envelope parameters of a descriptor. */
export function filterEnvelope(d: VoiceDescriptor): EnvelopeFrames {
  return {
    attack: d.filAttack, decay: d.filDecay, sustain: d.filSustain, release: d.filRelease,
    gate: d.gate, releaseLevel: d.filReleaseLevel,
  }
}

// State block layout (Float64Array).
const S_K = 0
const S_AMP = 1 // ENV_STATE numbers
const S_FIL = S_AMP + ENV_STATE
const S_PITCH_U = S_FIL + ENV_STATE
const S_PITCH_R = S_PITCH_U + 1
const S_FM_U = S_PITCH_U + 2
const S_FM_R = S_PITCH_U + 3
const S_OSC_U = S_PITCH_U + 4
const S_OSC_R = S_PITCH_U + 5
const S_NOISE_U = S_PITCH_U + 6
const S_NOISE_R = S_PITCH_U + 7
const S_BURST_U = S_PITCH_U + 8
const S_BURST_R = S_PITCH_U + 9
const S_IC1 = S_PITCH_U + 10
const S_IC2 = S_PITCH_U + 11
const S_A1 = S_PITCH_U + 12
const S_A2 = S_PITCH_U + 13
const S_A3 = S_PITCH_U + 14
const S_READY = S_PITCH_U + 15
const S_KS_S1 = S_PITCH_U + 16
const S_KS_V1 = S_PITCH_U + 17
const S_KS_EXC = S_PITCH_U + 18
const S_NOISE_KEY = S_PITCH_U + 19
const S_KS_KEY = S_PITCH_U + 20
const S_SIZE = S_PITCH_U + 21

const P_AMP = O.ampAttack
const P_FIL = O.filAttack
const EMPTY = new Float64Array(1)

/**
 * Renders one voice. Parameters live in a Float64Array laid out like the packed descriptor
 * (`voiceParams`); recursive state in another Float64Array; phases in a Uint32Array — so the object
 * shape never changes and the per-voice data maps one to one onto GPU buffers.
 */
export class CpuVoice {
  /** Parameters at {@link VOICE_OFFSETS}. */
  readonly p: Float64Array
  /** Recursive state. */
  readonly s: Float64Array
  /** Current u32 phases per slot. */
  readonly ph: Uint32Array
  /** Karplus–Strong delay line (N + 1), or a 1-element placeholder. */
  readonly ks: Float64Array

  constructor(d: VoiceDescriptor, readonly sampleRate: number, k0 = 0) {
    const P = voiceParams(d)
    this.p = P
    const S = new Float64Array(S_SIZE)
    this.s = S
    this.ph = new Uint32Array(PHASE_SLOTS)
    for (let s = 0; s < PHASE_SLOTS; s++) this.ph[s] = (P[O.phase + s] + Math.imul(P[O.inc + s], k0)) >>> 0
    this.ks = P[O.flags] & VOICE_FLAG.ks ? new Float64Array(P[O.ksDelay] + 1) : EMPTY
    const gate = P[O.gate]
    S[S_K] = k0
    envSeek(P, P_AMP, gate, S, S_AMP, k0)
    envSeek(P, P_FIL, gate, S, S_FIL, k0)
    const decay = (tau: number, k: number, iu: number, ir: number, none: number): void => {
      S[ir] = tau > 0 ? Math.exp(-1 / tau) : 1
      S[iu] = tau > 0 ? Math.exp(-k / tau) : none
    }
    decay(P[O.pitchTau], k0, S_PITCH_U, S_PITCH_R, 0)
    decay(P[O.fmIndexTau], k0, S_FM_U, S_FM_R, 0)
    decay(P[O.oscTau], k0, S_OSC_U, S_OSC_R, 1)
    const burstSpan = P[O.burstCount] * P[O.burstLength]
    decay(P[O.noiseTau], Math.max(0, k0 - burstSpan), S_NOISE_U, S_NOISE_R, 1)
    decay(P[O.burstTau], P[O.burstLength] > 0 ? k0 % P[O.burstLength] : 0, S_BURST_U, S_BURST_R, 1)
    S[S_NOISE_KEY] = pcgHash(P[O.seed] >>> 0)
    S[S_KS_KEY] = pcgHash((P[O.seed] ^ KS_NOISE_SALT) >>> 0)
  }

  /** Whether the voice has rendered its last audible frame. */
  get done(): boolean {
    return this.s[S_K] >= this.p[O.length]
  }

  /** Voice-local frame the next call starts at. */
  get position(): number {
    return this.s[S_K]
  }

  /**
   * Renders the next `n` (≤ {@link MAX_BLOCK}) frames of the voice (mono, before pan) into `out[0..n)`,
   * overwriting it.
   */
  render(out: Float64Array, n: number): void {
    const P = this.p
    const S = this.s
    const flags = P[O.flags]
    const warp = (flags & VOICE_FLAG.warp) !== 0
    const filterMode = P[O.filterMode]
    const hasFilter = filterMode !== FILTER_MODE.off
    const oscToF = hasFilter && (flags & VOICE_FLAG.oscToFilter) !== 0
    const noiseToF = hasFilter && (flags & VOICE_FLAG.noiseToFilter) !== 0

    if (warp) renderWarp(P, S, this.ph, n)
    // Oscillators go straight into the filter input (`pre`) or the bypass (`out`), per the routing flags.
    const oscDst = oscToF ? pre : out
    const oscOther = oscToF ? out : pre
    oscDst.fill(0, 0, n)
    if (hasFilter) oscOther.fill(0, 0, n)
    const waveA = P[O.waveA]
    if (waveA !== WAVE.off) {
      const unison = P[O.unison]
      for (let s = 0; s < unison; s++) renderOsc(P, this.ph, oscDst, waveA, s, P[O.levelA], P[O.pwA], n, warp)
    }
    const waveB = P[O.waveB]
    if (waveB !== WAVE.off) renderOsc(P, this.ph, oscDst, waveB, SLOT_B, P[O.levelB], P[O.pwB], n, warp)
    if (flags & VOICE_FLAG.fm) renderFm(P, S, this.ph, oscDst, n, warp)
    if (flags & VOICE_FLAG.metal) renderMetal(P, this.ph, oscDst, n)
    if (P[O.oscTau] > 0) {
      // Oscillator-only decay (applied before noise and the string are added).
      let u = S[S_OSC_U]
      const r = S[S_OSC_R]
      for (let j = 0; j < n; j++) {
        oscDst[j] *= u
        u *= r
        if (u < FLUSH) u = 0
      }
      S[S_OSC_U] = u
    }
    if (P[O.levelNoise] !== 0) renderNoise(P, S, noiseToF ? pre : out, n)
    if (flags & VOICE_FLAG.ks) renderKs(P, S, this.ks, hasFilter ? pre : out, n)
    if (hasFilter) {
      renderFilter(P, S, n, this.sampleRate)
      for (let j = 0; j < n; j++) out[j] += pre[j]
    }
    // Amplitude envelope and gain, in place.
    envApply(P, P_AMP, P[O.gate], S, S_AMP, out, n, P[O.gain])
    S[S_K] += n
  }
}

/** W(k) (frames) and R(k) (rate multiplier) for pitched slots. */
function renderWarp(P: Float64Array, S: Float64Array, ph: Uint32Array, n: number): void {
  const k0 = S[S_K]
  const pa = P[O.pitchAmount]
  const pt = P[O.pitchTau]
  const hasPitch = pa !== 0 && pt > 0
  const vd = P[O.vibDepth]
  const hasVib = vd !== 0
  let u = S[S_PITCH_U]
  const r = S[S_PITCH_R]
  let lfo = ph[SLOT_LFO]
  const lfoInc = P[O.inc + SLOT_LFO]
  const vf = P[O.vibFrames]
  const delay = P[O.vibDelay]
  const rise = P[O.vibRise]
  for (let j = 0; j < n; j++) {
    let w = 0
    let rate = 1
    if (hasPitch) {
      w = pa * pt * (1 - u)
      rate += pa * u
      u *= r
      if (u < FLUSH) u = 0
    }
    if (hasVib) {
      const kk = k0 + j
      let fade: number
      if (rise > 0) {
        fade = (kk - delay) / rise
        fade = fade < 0 ? 0 : fade > 1 ? 1 : fade
      } else {
        fade = kk >= delay ? 1 : 0
      }
      if (fade > 0) {
        w += vf * sinU32(lfo) * fade
        rate += vd * sinU32((lfo + 0x40000000) >>> 0) * fade
      }
      lfo = (lfo + lfoInc) >>> 0
    }
    warpW[j] = w
    warpR[j] = rate
  }
  S[S_PITCH_U] = u
  ph[SLOT_LFO] = lfo
}

function renderOsc(
  P: Float64Array, ph: Uint32Array, osc: Float64Array, wave: number, slot: number, level: number, pw: number, n: number,
  warp: boolean,
): void {
  const inc = P[O.inc + slot]
  const incf = inc * U32_TO_UNIT
  let p = ph[slot]
  if (wave === WAVE.sine) {
    if (warp) {
      for (let j = 0; j < n; j++) {
        osc[j] += level * sinCycles(p * U32_TO_UNIT + incf * warpW[j])
        p = (p + inc) >>> 0
      }
    } else {
      for (let j = 0; j < n; j++) {
        osc[j] += level * sinU32(p)
        p = (p + inc) >>> 0
      }
    }
  } else if (wave === WAVE.triangle) {
    for (let j = 0; j < n; j++) {
      let t = p * U32_TO_UNIT
      if (warp) {
        t += incf * warpW[j]
        t -= Math.floor(t)
      }
      osc[j] += level * (t < 0.5 ? 4 * t - 1 : 3 - 4 * t)
      p = (p + inc) >>> 0
    }
  } else if (wave === WAVE.saw) {
    if (warp) {
      for (let j = 0; j < n; j++) {
        let t = p * U32_TO_UNIT + incf * warpW[j]
        t -= Math.floor(t)
        const dt = incf * warpR[j]
        let v = 2 * t - 1
        if (t < dt) {
          const x = t / dt
          v -= x + x - x * x - 1
        } else if (t > 1 - dt) {
          const x = (t - 1) / dt
          v -= x * x + x + x + 1
        }
        osc[j] += level * v
        p = (p + inc) >>> 0
      }
    } else {
      const dt = incf
      const idt = 1 / dt
      for (let j = 0; j < n; j++) {
        const t = p * U32_TO_UNIT
        let v = 2 * t - 1
        if (t < dt) {
          const x = t * idt
          v -= x + x - x * x - 1
        } else if (t > 1 - dt) {
          const x = (t - 1) * idt
          v -= x * x + x + x + 1
        }
        osc[j] += level * v
        p = (p + inc) >>> 0
      }
    }
  } else if (wave === WAVE.square) {
    for (let j = 0; j < n; j++) {
      let t = p * U32_TO_UNIT
      let dt = incf
      if (warp) {
        t += incf * warpW[j]
        t -= Math.floor(t)
        dt = incf * warpR[j]
      }
      let v = t < pw ? 1 : -1
      // rising edge at t = 0
      if (t < dt) {
        const x = t / dt
        v += x + x - x * x - 1
      } else if (t > 1 - dt) {
        const x = (t - 1) / dt
        v += x * x + x + x + 1
      }
      // falling edge at t = pw
      let t2 = t - pw
      if (t2 < 0) t2 += 1
      if (t2 < dt) {
        const x = t2 / dt
        v -= x + x - x * x - 1
      } else if (t2 > 1 - dt) {
        const x = (t2 - 1) / dt
        v -= x * x + x + x + 1
      }
      osc[j] += level * v
      p = (p + inc) >>> 0
    }
  }
  ph[slot] = p
}

function renderFm(P: Float64Array, S: Float64Array, ph: Uint32Array, osc: Float64Array, n: number, warp: boolean): void {
  const incM = P[O.inc + SLOT_FM_MOD]
  const incC = P[O.inc + SLOT_FM_CAR]
  const incMf = incM * U32_TO_UNIT
  const incCf = incC * U32_TO_UNIT
  let pm = ph[SLOT_FM_MOD]
  let pc = ph[SLOT_FM_CAR]
  const i0 = P[O.fmIndex] / TAU
  const sus = P[O.fmIndexSustain]
  const level = P[O.levelFm]
  if (P[O.fmIndexTau] > 0) {
    let u = S[S_FM_U]
    const r = S[S_FM_R]
    const a = i0 * sus
    const b = i0 * (1 - sus)
    for (let j = 0; j < n; j++) {
      const index = a + b * u
      let c: number
      if (warp) {
        const w = warpW[j]
        c = sinCycles(pc * U32_TO_UNIT + incCf * w + index * sinCycles(pm * U32_TO_UNIT + incMf * w))
      } else {
        c = sinCycles(pc * U32_TO_UNIT + index * sinU32(pm))
      }
      osc[j] += level * c
      u *= r
      if (u < FLUSH) u = 0
      pm = (pm + incM) >>> 0
      pc = (pc + incC) >>> 0
    }
    S[S_FM_U] = u
  } else {
    for (let j = 0; j < n; j++) {
      let c: number
      if (warp) {
        const w = warpW[j]
        c = sinCycles(pc * U32_TO_UNIT + incCf * w + i0 * sinCycles(pm * U32_TO_UNIT + incMf * w))
      } else {
        c = sinCycles(pc * U32_TO_UNIT + i0 * sinU32(pm))
      }
      osc[j] += level * c
      pm = (pm + incM) >>> 0
      pc = (pc + incC) >>> 0
    }
  }
  ph[SLOT_FM_MOD] = pm
  ph[SLOT_FM_CAR] = pc
}

function renderMetal(P: Float64Array, ph: Uint32Array, osc: Float64Array, n: number): void {
  const level = P[O.levelMetal]
  for (let s = SLOT_METAL; s < SLOT_METAL + METAL_COUNT; s++) {
    const inc = P[O.inc + s] | 0
    let p = ph[s] | 0
    for (let j = 0; j < n; j++) {
      osc[j] += p >= 0 ? level : -level
      p = (p + inc) | 0
    }
    ph[s] = p
  }
}

/** Noise with its burst/decay envelope, added into `into`. */
function renderNoise(P: Float64Array, S: Float64Array, into: Float64Array, n: number): void {
  const k0 = S[S_K]
  const key = S[S_NOISE_KEY]
  const level = P[O.levelNoise]
  const bl = P[O.burstLength]
  const burstSpan = P[O.burstCount] * bl
  const sus = P[O.noiseSustain]
  const hasDecay = P[O.noiseTau] > 0
  let u = S[S_NOISE_U]
  const r = S[S_NOISE_R]
  let bu = S[S_BURST_U]
  const br = S[S_BURST_R]
  if (burstSpan === 0 && !hasDecay) {
    for (let j = 0; j < n; j++) into[j] += level * noiseAt(key, k0 + j)
    return
  }
  for (let j = 0; j < n; j++) {
    const kk = k0 + j
    let e: number
    if (kk < burstSpan) {
      if (kk % bl === 0) bu = 1
      e = bu
      bu *= br
    } else if (hasDecay) {
      e = sus + (1 - sus) * u
      u *= r
      if (u < FLUSH) u = 0
    } else {
      e = 1
    }
    into[j] += level * e * noiseAt(key, kk)
  }
  S[S_NOISE_U] = u
  S[S_BURST_U] = bu
}

/** Karplus–Strong: y = exc + ρ·allpass(½(y[k−N] + y[k−N−1])); adds y into `into`. */
function renderKs(P: Float64Array, S: Float64Array, buf: Float64Array, into: Float64Array, n: number): void {
  const size = buf.length // N + 1
  const k0 = S[S_K]
  const key = S[S_KS_KEY]
  const excLen = P[O.ksExcLength]
  const pole = P[O.ksExcPole]
  const level = P[O.levelKs]
  const rho = P[O.ksRho]
  const c = P[O.ksAllpass]
  let s1 = S[S_KS_S1]
  let v1 = S[S_KS_V1]
  let ex = S[S_KS_EXC]
  let idx = k0 % size
  for (let j = 0; j < n; j++) {
    const kk = k0 + j
    let x = 0
    if (kk < excLen) {
      ex = (1 - pole) * noiseAt(key, kk) + pole * ex
      x = level * ex
    }
    const next = idx + 1 === size ? 0 : idx + 1
    const s = 0.5 * (buf[next] + buf[idx])
    const v = c * s + s1 - c * v1
    s1 = s
    v1 = v
    let y = x + rho * v
    if (y < FLUSH && y > -FLUSH) y = 0
    buf[idx] = y
    into[j] += y
    idx = next
  }
  S[S_KS_S1] = s1
  S[S_KS_V1] = v1
  S[S_KS_EXC] = ex
}

/** Topology-preserving-transform state-variable filter (Zavalishin / Simper) over `pre`, in place. */
function renderFilter(P: Float64Array, S: Float64Array, n: number, sampleRate: number): void {
  const k0 = S[S_K]
  const damp = P[O.damping]
  const mode = P[O.filterMode]
  const envOct = P[O.envOctaves]
  const cutoff = P[O.cutoff]
  if (envOct !== 0) envFill(P, P_FIL, P[O.gate], S, S_FIL, env, n)
  const piOverRate = Math.PI / sampleRate
  const maxCutoff = 0.45 * sampleRate
  let ic1 = S[S_IC1]
  let ic2 = S[S_IC2]
  let a1 = S[S_A1]
  let a2 = S[S_A2]
  let a3 = S[S_A3]
  let ready = S[S_READY] !== 0
  let j = 0
  while (j < n) {
    const kk = k0 + j
    // Recompute the coefficients at control ticks (and on the first frame rendered).
    if ((kk & (CONTROL_INTERVAL - 1)) === 0 || !ready) {
      let fc = envOct !== 0 ? cutoff * Math.exp(envOct * env[j] * Math.LN2) : cutoff
      if (fc > maxCutoff) fc = maxCutoff
      else if (fc < 20) fc = 20
      const g = Math.tan(fc * piOverRate)
      a1 = 1 / (1 + g * (g + damp))
      a2 = g * a1
      a3 = g * a2
      ready = true
      if (ic1 < FLUSH && ic1 > -FLUSH) ic1 = 0
      if (ic2 < FLUSH && ic2 > -FLUSH) ic2 = 0
    }
    // Run to the next tick.
    const tickEnd = Math.min(n, j + (CONTROL_INTERVAL - (kk & (CONTROL_INTERVAL - 1))))
    if (mode === FILTER_MODE.lp) {
      for (; j < tickEnd; j++) {
        const v3 = pre[j] - ic2
        const v1 = a1 * ic1 + a2 * v3
        const v2 = ic2 + a2 * ic1 + a3 * v3
        ic1 = 2 * v1 - ic1
        ic2 = 2 * v2 - ic2
        pre[j] = v2
      }
    } else if (mode === FILTER_MODE.bp) {
      for (; j < tickEnd; j++) {
        const v3 = pre[j] - ic2
        const v1 = a1 * ic1 + a2 * v3
        const v2 = ic2 + a2 * ic1 + a3 * v3
        ic1 = 2 * v1 - ic1
        ic2 = 2 * v2 - ic2
        pre[j] = damp * v1
      }
    } else {
      for (; j < tickEnd; j++) {
        const v0 = pre[j]
        const v3 = v0 - ic2
        const v1 = a1 * ic1 + a2 * v3
        const v2 = ic2 + a2 * ic1 + a3 * v3
        ic1 = 2 * v1 - ic1
        ic2 = 2 * v2 - ic2
        pre[j] = v0 - damp * v1 - v2
      }
    }
  }
  S[S_IC1] = ic1
  S[S_IC2] = ic2
  S[S_A1] = a1
  S[S_A2] = a2
  S[S_A3] = a3
  S[S_READY] = ready ? 1 : 0
}
