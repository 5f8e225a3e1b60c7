/**
 * Builds a {@link VoiceDescriptor} from a preset and one note: velocity, key tracking, sample rate and the
 * per-voice seed are resolved here, once, so the kernels only read flat numbers.
 */
import { INSTRUMENT_IDS, getInstrument, isInstrumentId } from '@auralis/protocol'
import { TAU, f32, midiToHz, pcgHash, phaseInc } from '../dsp/math.js'
import { heldLevelAt } from './envelope.js'
import {
  FILTER_MODE, MAX_UNISON, METAL_COUNT, PHASE_SLOTS, SLOT_B, SLOT_FM_CAR, SLOT_FM_MOD, SLOT_LFO, SLOT_METAL,
  VOICE_FLAG, WAVE, type VoiceDescriptor,
} from './descriptor.js'
import type { Adsr, Preset, Waveform } from '../presets.js'

const INSTRUMENT_INDEX: Record<string, number> = Object.fromEntries(INSTRUMENT_IDS.map((id, i) => [id, i]))

/** TR-808 cymbal/hat square-wave frequencies (Hz), the metallic bank's ratios. */
export const METAL_RATIOS: readonly number[] = Object.freeze([205.3, 304.4, 369.6, 522.7, 540, 800])

/** One note to voice: when (frame), what, how long (frames). */
export interface NoteSpec {
  /** Start frame (absolute, integer ≥ 0). */
  readonly frame: number
  /** MIDI note 0–127. */
  readonly note: number
  /** Velocity 1–127. */
  readonly vel: number
  /** Held length in frames (≥ 1). */
  readonly gate: number
}

/** Context for {@link buildVoice}. */
export interface BuildContext {
  readonly sampleRate: number
  /** Global seed mixed into every voice seed. */
  readonly seed: number
  /** The instrument id (for drum tuning and the seed). */
  readonly instrument?: string
}

const frames = (seconds: number, sr: number): number => Math.max(0, Math.round(seconds * sr))

const WAVE_CODE: Record<Waveform, number> = { sine: WAVE.sine, triangle: WAVE.triangle, saw: WAVE.saw, square: WAVE.square }
const FILTER_CODE = { lp: FILTER_MODE.lp, bp: FILTER_MODE.bp, hp: FILTER_MODE.hp } as const

/** A seed that depends only on what the note is (never on scheduling order). */
export function voiceSeed(globalSeed: number, instIndex: number, n: NoteSpec): number {
  let h = pcgHash((globalSeed ^ 0xa511e9b3) >>> 0)
  h = pcgHash((h ^ (n.frame >>> 0)) >>> 0)
  h = pcgHash((h ^ Math.floor(n.frame / 4294967296)) >>> 0)
  h = pcgHash((h ^ (instIndex * 0x10000 + n.note * 0x100 + n.vel)) >>> 0)
  return pcgHash((h ^ (n.gate >>> 0)) >>> 0)
}

/**
 * Resolves a preset and a note into a voice descriptor (all floats rounded to f32).
 * Notes outside the instrument's range still sound; partials at or above 0.45·sampleRate are dropped.
 */
export function buildVoice(preset: Preset, spec: NoteSpec, ctx: BuildContext): VoiceDescriptor {
  const sr = ctx.sampleRate
  const v = Math.min(127, Math.max(1, spec.vel)) / 127
  const note = spec.note
  const instIndex = ctx.instrument && isInstrumentId(ctx.instrument) ? INSTRUMENT_INDEX[ctx.instrument] : 255
  const seed = voiceSeed(ctx.seed, instIndex, spec)
  const nyquistGuard = 0.45 * sr

  let base: number
  if (preset.drum) {
    const drumNote = ctx.instrument && isInstrumentId(ctx.instrument) ? getInstrument(ctx.instrument).drumNote ?? note : note
    const shift = Math.max(-12, Math.min(12, note - drumNote))
    base = preset.drum.baseHz * Math.pow(2, shift / 12)
  } else {
    base = midiToHz(note)
  }
  const keyOct = (note - 60) / 12
  const decayScale = preset.decayKeyTrack ? Math.pow(2, -preset.decayKeyTrack * keyOct) : 1

  const phase = new Uint32Array(PHASE_SLOTS)
  const inc = new Uint32Array(PHASE_SLOTS)
  const randomPhase = (slot: number): number => (preset.freePhase ? pcgHash((seed + slot * 0x9e3779b9) >>> 0) : 0)
  let flags = 0

  // Oscillator A (unison).
  let waveA: number = WAVE.off
  let unison = 1
  let levelA = 0
  let pwA = 0.5
  if (preset.oscA && preset.oscA.level !== 0) {
    const a = preset.oscA
    unison = Math.max(1, Math.min(MAX_UNISON, Math.round(a.unison ?? 1)))
    const fA = base * Math.pow(2, (a.semitones ?? 0) / 12)
    const spread = a.detune ?? 0
    waveA = WAVE_CODE[a.wave]
    if (fA * Math.pow(2, spread / 2400) >= nyquistGuard) waveA = fA < nyquistGuard ? WAVE.sine : WAVE.off
    for (let u = 0; u < unison; u++) {
      const cents = unison === 1 ? 0 : spread * (u / (unison - 1) - 0.5)
      inc[u] = phaseInc(fA * Math.pow(2, cents / 1200), sr)
      phase[u] = randomPhase(u)
    }
    levelA = a.level / Math.sqrt(unison)
    pwA = a.pulseWidth ?? 0.5
  }

  // Oscillator B.
  let waveB: number = WAVE.off
  let levelB = 0
  let pwB = 0.5
  if (preset.oscB && preset.oscB.level !== 0) {
    const b = preset.oscB
    const fB = base * Math.pow(2, ((b.semitones ?? 0) + (b.cents ?? 0) / 100) / 12)
    waveB = fB < nyquistGuard ? WAVE_CODE[b.wave] : WAVE.off
    if (waveB !== WAVE.off && waveB !== WAVE.sine && fB * 2 >= nyquistGuard) waveB = WAVE.sine
    inc[SLOT_B] = phaseInc(fB, sr)
    phase[SLOT_B] = randomPhase(SLOT_B)
    levelB = b.level
    pwB = b.pulseWidth ?? 0.5
  }

  // FM pair.
  let levelFm = 0
  let fmIndex = 0
  let fmIndexSustain = 1
  let fmIndexTau = 0
  if (preset.fm && preset.fm.level !== 0) {
    const fm = preset.fm
    const fc = base * fm.carrierRatio
    const fmod = base * fm.modRatio
    if (fc < nyquistGuard) {
      flags |= VOICE_FLAG.fm
      levelFm = fm.level
      inc[SLOT_FM_CAR] = phaseInc(fc, sr)
      inc[SLOT_FM_MOD] = fmod < nyquistGuard ? phaseInc(fmod, sr) : 0
      fmIndex = fmod < nyquistGuard ? fm.index * (1 - (fm.velocityToIndex ?? 0) * (1 - v)) : 0
      fmIndexSustain = fm.indexSustain ?? 1
      fmIndexTau = (fm.indexDecay ?? 0) * decayScale * sr
    }
  }

  // Metallic bank.
  let levelMetal = 0
  if (preset.metal && preset.metal.level !== 0) {
    flags |= VOICE_FLAG.metal
    levelMetal = preset.metal.level
    const scale = preset.metal.scale * (preset.drum ? base / preset.drum.baseHz : 1)
    for (let i = 0; i < METAL_COUNT; i++) {
      const f = Math.min(METAL_RATIOS[i] * scale, nyquistGuard)
      inc[SLOT_METAL + i] = phaseInc(f, sr)
      phase[SLOT_METAL + i] = pcgHash((seed ^ (0x1234567 * (i + 1))) >>> 0)
    }
  }

  // Noise.
  let levelNoise = 0
  let noiseTau = 0
  let noiseSustain = 0
  let burstCount = 0
  let burstLength = 0
  let burstTau = 0
  if (preset.noise && preset.noise.level !== 0) {
    const n = preset.noise
    levelNoise = n.level
    noiseTau = (n.decay ?? 0) * sr
    noiseSustain = n.decay ? n.sustain ?? 0 : 1
    if (n.bursts && n.bursts.count > 0) {
      burstCount = Math.round(n.bursts.count)
      burstLength = Math.max(1, frames(n.bursts.spacing, sr))
      burstTau = n.bursts.decay * sr
    }
  }

  // Karplus–Strong.
  let levelKs = 0
  let ksDelay = 0
  let ksExcLength = 0
  let ksRho = 0
  let ksAllpass = 0
  let ksExcPole = 0
  if (preset.ks && preset.ks.level !== 0) {
    const ks = preset.ks
    flags |= VOICE_FLAG.ks
    const f = Math.min(base, sr / 4)
    const period = sr / f
    ksDelay = Math.max(2, Math.floor(period - 1))
    const frac = period - 0.5 - ksDelay // in [0.5, 1.5) once N ≥ 2
    ksAllpass = (1 - frac) / (1 + frac)
    const t60 = ks.decay * Math.pow(2, -0.5 * keyOct)
    ksRho = Math.min(0.9999, Math.pow(10, -3 / (t60 * f)))
    ksExcLength = ksDelay + 1
    const bright = Math.max(0.05, Math.min(1, ks.brightness * (1 - (ks.velocityToBrightness ?? 0) * (1 - v))))
    ksExcPole = (1 - bright) * 0.95
    levelKs = ks.level
  }

  // Pitch envelope and vibrato (time warp).
  let pitchAmount = 0
  let pitchTau = 0
  if (preset.pitchEnv && preset.pitchEnv.amount !== 0 && preset.pitchEnv.decay > 0) {
    pitchAmount = preset.pitchEnv.amount
    pitchTau = preset.pitchEnv.decay * sr
    flags |= VOICE_FLAG.warp
  }
  let vibFrames = 0
  let vibDepth = 0
  let vibDelay = 0
  let vibRise = 0
  if (preset.vibrato && preset.vibrato.cents !== 0 && preset.vibrato.rate > 0) {
    const vib = preset.vibrato
    vibDepth = Math.pow(2, vib.cents / 1200) - 1
    vibFrames = vibDepth / ((TAU * vib.rate) / sr)
    vibDelay = (vib.delay ?? 0) * sr
    vibRise = (vib.rise ?? 0) * sr
    inc[SLOT_LFO] = phaseInc(vib.rate, sr)
    flags |= VOICE_FLAG.warp
  }

  // Envelopes.
  const gateSeconds = spec.gate / sr
  const ampSpec: Adsr = preset.attackFromGate
    ? { ...preset.amp, attack: preset.attackFromGate * gateSeconds }
    : preset.amp
  const ampAttack = frames(ampSpec.attack, sr)
  const ampDecay = frames(ampSpec.decay * decayScale, sr)
  const ampSustain = f32(preset.oneShot ? 0 : ampSpec.sustain)
  let gate = Math.max(1, Math.round(spec.gate))
  let ampRelease = frames(ampSpec.release * decayScale, sr)
  if (preset.oneShot) {
    gate = Math.max(1, ampAttack + ampDecay)
    ampRelease = 0
  }
  const ampReleaseLevel = f32(heldLevelAt({ attack: ampAttack, decay: ampDecay, sustain: ampSustain }, gate))

  // Filter.
  let filterMode: number = FILTER_MODE.off
  let cutoff = 0
  let damping = 2
  let envOctaves = 0
  let filAttack = 0
  let filDecay = 0
  let filSustain = 0
  let filRelease = 0
  let filReleaseLevel = 0
  if (preset.filter) {
    const fl = preset.filter
    filterMode = FILTER_CODE[fl.mode]
    cutoff = fl.cutoff * Math.pow(2, (fl.keyTrack ?? 0) * keyOct + (fl.velocityToCutoff ?? 0) * (v - 1))
    cutoff = Math.max(20, Math.min(0.45 * sr, cutoff))
    damping = 1 / Math.max(0.3, fl.q ?? Math.SQRT1_2)
    if (fl.oscToFilter !== false) flags |= VOICE_FLAG.oscToFilter
    if (preset.noise?.toFilter !== false) flags |= VOICE_FLAG.noiseToFilter
    if (fl.env && fl.envOctaves) {
      envOctaves = fl.envOctaves
      const fe: Adsr = preset.attackFromGate ? { ...fl.env, attack: preset.attackFromGate * gateSeconds } : fl.env
      filAttack = frames(fe.attack, sr)
      filDecay = frames(fe.decay * decayScale, sr)
      filSustain = f32(fe.sustain)
      filRelease = frames(fe.release, sr)
      filReleaseLevel = f32(heldLevelAt({ attack: filAttack, decay: filDecay, sustain: filSustain }, gate))
    }
  }

  const theta = ((Math.max(-1, Math.min(1, preset.pan)) + 1) * Math.PI) / 4
  const level = preset.gain * Math.pow(v, preset.velocityCurve ?? 1.5)

  return {
    start: spec.frame,
    length: gate + ampRelease,
    seed,
    flags,
    waveA,
    unison,
    waveB,
    filterMode,
    ampAttack,
    ampDecay,
    ampRelease,
    gate,
    filAttack,
    filDecay,
    filRelease,
    ksDelay,
    ksExcLength,
    burstCount,
    burstLength,
    phase,
    inc,
    gain: f32(level),
    levelA: f32(levelA),
    levelB: f32(levelB),
    levelFm: f32(levelFm),
    levelMetal: f32(levelMetal),
    levelNoise: f32(levelNoise),
    levelKs: f32(levelKs),
    pwA: f32(pwA),
    pwB: f32(pwB),
    ampSustain,
    ampReleaseLevel,
    filSustain,
    filReleaseLevel,
    cutoff: f32(cutoff),
    damping: f32(damping),
    envOctaves: f32(envOctaves),
    fmIndex: f32(fmIndex),
    fmIndexSustain: f32(fmIndexSustain),
    fmIndexTau: f32(fmIndexTau),
    oscTau: f32((preset.oscDecay ?? 0) * sr),
    pitchAmount: f32(pitchAmount),
    pitchTau: f32(pitchTau),
    vibFrames: f32(vibFrames),
    vibDepth: f32(vibDepth),
    vibDelay: f32(vibDelay),
    vibRise: f32(vibRise),
    noiseTau: f32(noiseTau),
    noiseSustain: f32(noiseSustain),
    burstTau: f32(burstTau),
    ksRho: f32(ksRho),
    ksAllpass: f32(ksAllpass),
    ksExcPole: f32(ksExcPole),
    panL: f32(Math.cos(theta)),
    panR: f32(Math.sin(theta)),
    sendReverb: f32(preset.reverb),
    sendDelay: f32(preset.delay),
  }
}

