/**
 * Voice descriptors: every parameter one voice needs, as flat numbers (u32 and f32), fully resolved
 * (velocity, key tracking, sample rate and the preset are already baked in). The CPU kernel renders from
 * exactly these numbers; {@link packVoices} lays them out as a WGSL-compatible array of structs
 * ({@link VOICE_STRUCT_WGSL}) for upload to a GPU.
 */

/** Waveform codes for `waveA` / `waveB`. */
export const WAVE = Object.freeze({ off: 0, sine: 1, triangle: 2, saw: 3, square: 4 } as const)
/** Filter mode codes for `filterMode`. */
export const FILTER_MODE = Object.freeze({ off: 0, lp: 1, bp: 2, hp: 3 } as const)
/** Bits of `flags`. */
export const VOICE_FLAG = Object.freeze({
  /** The 2-operator FM pair sounds (slots 5 = modulator, 6 = carrier). */
  fm: 1,
  /** The Karplus–Strong string sounds. */
  ks: 2,
  /** The six-square metallic bank sounds (slots 8–13). */
  metal: 4,
  /** Oscillators (A, B, FM, metal) go through the filter; otherwise they bypass it. */
  oscToFilter: 8,
  /** Noise goes through the filter; otherwise it bypasses it. */
  noiseToFilter: 16,
  /** Pitch envelope or vibrato is active: pitched slots 0–6 follow the time warp W(k). */
  warp: 32,
} as const)

/**
 * Phase slots (u32 phase accumulators): 0–3 oscillator A (unison voices), 4 oscillator B, 5 FM modulator,
 * 6 FM carrier, 7 vibrato LFO, 8–13 metallic bank. The phase at voice-local frame k is
 * `(phase[s] + inc[s]·k) mod 2^32` — exact in u32 arithmetic, so any frame can be computed independently.
 */
export const PHASE_SLOTS = 14
/** Slot index of oscillator B. */
export const SLOT_B = 4
/** Slot index of the FM modulator. */
export const SLOT_FM_MOD = 5
/** Slot index of the FM carrier. */
export const SLOT_FM_CAR = 6
/** Slot index of the vibrato LFO. */
export const SLOT_LFO = 7
/** First slot of the metallic bank. */
export const SLOT_METAL = 8
/** Oscillators in the metallic bank. */
export const METAL_COUNT = 6
/** Unison voices of oscillator A, at most. */
export const MAX_UNISON = 4

/** A fully resolved voice. Integers are u32 (frames, codes, phases); everything else is an f32 value. */
export interface VoiceDescriptor {
  // --- timing (u32) -------------------------------------------------------------------------------------
  /** Absolute start frame in the render (packVoices rebases it to a host-chosen origin). */
  start: number
  /** Frames the voice lasts (after that it is silent for good). */
  length: number
  /** Per-voice seed (u32); noise streams are keyed by `pcg(seed ^ salt)`. */
  seed: number
  /** {@link VOICE_FLAG} bits. */
  flags: number
  /** Oscillator A waveform ({@link WAVE}). */
  waveA: number
  /** Unison voices of oscillator A (1–4, slots 0..unison−1). */
  unison: number
  /** Oscillator B waveform ({@link WAVE}). */
  waveB: number
  /** {@link FILTER_MODE}. */
  filterMode: number
  /** Amplitude envelope: attack, decay, release lengths and the gate (note-off) frame. */
  ampAttack: number
  ampDecay: number
  ampRelease: number
  gate: number
  /** Filter envelope lengths (it shares the gate). */
  filAttack: number
  filDecay: number
  filRelease: number
  /** Karplus–Strong integer delay N (frames) and excitation length (frames). */
  ksDelay: number
  ksExcLength: number
  /** Noise bursts (clap): count and spacing in frames (0 = no bursts). */
  burstCount: number
  burstLength: number
  /** Initial u32 phases and u32 increments per slot ({@link PHASE_SLOTS}). */
  phase: Uint32Array
  inc: Uint32Array
  // --- levels and shapes (f32) --------------------------------------------------------------------------
  /** Overall gain (velocity applied). */
  gain: number
  /** Level of each unison voice of oscillator A. */
  levelA: number
  levelB: number
  levelFm: number
  /** Level of each of the six metallic squares. */
  levelMetal: number
  levelNoise: number
  levelKs: number
  /** Pulse widths (0–1) of squares A and B. */
  pwA: number
  pwB: number
  ampSustain: number
  /** Amplitude envelope level at the gate. */
  ampReleaseLevel: number
  filSustain: number
  filReleaseLevel: number
  /** Filter base cutoff in Hz (key tracking and velocity applied). */
  cutoff: number
  /** SVF damping k = 1/Q. */
  damping: number
  /** Cutoff = base · 2^(envOctaves · filterEnv(k)), clamped to [20 Hz, 0.45·sampleRate]. */
  envOctaves: number
  /** FM index I(k) = fmIndex · (fmIndexSustain + (1 − fmIndexSustain)·e^(−k/fmIndexTau)), radians. */
  fmIndex: number
  fmIndexSustain: number
  /** Frames; 0 = constant index. */
  fmIndexTau: number
  /** Oscillator-only decay e^(−k/oscTau) (frames; 0 = none). */
  oscTau: number
  /** Pitch envelope: frequency × (1 + pitchAmount·e^(−k/pitchTau)). */
  pitchAmount: number
  pitchTau: number
  /** Vibrato as a time warp: W_vib = vibFrames·sin(2π·lfo)·fade, rate 1 + vibDepth·cos(2π·lfo)·fade. */
  vibFrames: number
  vibDepth: number
  /** Vibrato fade-in: fade = clamp((k − vibDelay) / vibRise, 0, 1) (vibRise 0 = a step at vibDelay). */
  vibDelay: number
  vibRise: number
  /** Noise envelope after the bursts: noiseSustain + (1 − noiseSustain)·e^(−k'/noiseTau) (noiseTau 0 = 1). */
  noiseTau: number
  noiseSustain: number
  /** Per-burst decay e^(−(k mod burstLength)/burstTau). */
  burstTau: number
  /** Karplus–Strong loop gain, tuning all-pass coefficient and excitation low-pass pole. */
  ksRho: number
  ksAllpass: number
  ksExcPole: number
  /** Equal-power pan gains and effect sends. */
  panL: number
  panR: number
  sendReverb: number
  sendDelay: number
}

/** Storage type of one descriptor field in the packed GPU layout. */
export type FieldType = 'u32' | 'f32'
/** One field of the packed voice layout: its descriptor key, storage type and word count. */
export interface FieldDef {
  readonly name: keyof VoiceDescriptor
  readonly type: FieldType
  readonly count: number
}

const U = (name: keyof VoiceDescriptor, count = 1): FieldDef => ({ name, type: 'u32', count })
const F = (name: keyof VoiceDescriptor): FieldDef => ({ name, type: 'f32', count: 1 })

/** The field order of a packed voice (one 32-bit word each; `phase` and `inc` take {@link PHASE_SLOTS}). */
export const VOICE_FIELDS: readonly FieldDef[] = Object.freeze([
  U('start'), U('length'), U('seed'), U('flags'),
  U('waveA'), U('unison'), U('waveB'), U('filterMode'),
  U('gate'), U('ampAttack'), U('ampDecay'), U('ampRelease'), F('ampSustain'), F('ampReleaseLevel'),
  U('filAttack'), U('filDecay'), U('filRelease'), F('filSustain'), F('filReleaseLevel'),
  U('ksDelay'), U('ksExcLength'), U('burstCount'), U('burstLength'),
  U('phase', PHASE_SLOTS), U('inc', PHASE_SLOTS),
  F('gain'), F('levelA'), F('levelB'), F('levelFm'), F('levelMetal'), F('levelNoise'), F('levelKs'),
  F('pwA'), F('pwB'),
  F('cutoff'), F('damping'), F('envOctaves'), F('fmIndex'), F('fmIndexSustain'), F('fmIndexTau'),
  F('oscTau'), F('pitchAmount'), F('pitchTau'), F('vibFrames'), F('vibDepth'), F('vibDelay'), F('vibRise'),
  F('noiseTau'), F('noiseSustain'), F('burstTau'), F('ksRho'), F('ksAllpass'), F('ksExcPole'),
  F('panL'), F('panR'), F('sendReverb'), F('sendDelay'),
])

/** Word offset of each field in a packed voice. */
export const VOICE_OFFSETS: Readonly<Record<keyof VoiceDescriptor, number>> = (() => {
  const o: Record<string, number> = {}
  let w = 0
  for (const f of VOICE_FIELDS) {
    o[f.name] = w
    w += f.count
  }
  return Object.freeze(o) as Record<keyof VoiceDescriptor, number>
})()

/** 32-bit words per packed voice, padded to a multiple of 4 (16-byte struct alignment). */
export const VOICE_WORDS: number = (() => {
  const n = VOICE_FIELDS.reduce((s, f) => s + f.count, 0)
  return (n + 3) & ~3
})()

/**
 * The WGSL struct matching {@link packVoices} (arrays are `array<u32, 14>`, whose stride in a storage
 * buffer is 4 bytes, so the layout is dense).
 */
export const VOICE_STRUCT_WGSL: string = (() => {
  const lines = VOICE_FIELDS.map((f) =>
    f.count === 1 ? `  ${f.name}: ${f.type},` : `  ${f.name}: array<${f.type}, ${f.count}>,`)
  const used = VOICE_FIELDS.reduce((s, f) => s + f.count, 0)
  for (let i = used; i < VOICE_WORDS; i++) lines.push(`  _pad${i - used}: u32,`)
  return `struct Voice {\n${lines.join('\n')}\n}`
})()

/**
 * Packs voices into one buffer of {@link VOICE_WORDS} words per voice (little-endian, as GPUs read it).
 * `origin` is subtracted from each voice's `start` (so the u32 start fits long renders); it must not exceed
 * any start.
 */
export function packVoices(voices: readonly VoiceDescriptor[], origin = 0): ArrayBuffer {
  const buf = new ArrayBuffer(voices.length * VOICE_WORDS * 4)
  const u = new Uint32Array(buf)
  const f = new Float32Array(buf)
  voices.forEach((v, i) => {
    const base = i * VOICE_WORDS
    for (const field of VOICE_FIELDS) {
      const off = base + VOICE_OFFSETS[field.name]
      const value = v[field.name]
      if (field.count > 1) {
        const arr = value as Uint32Array
        for (let j = 0; j < field.count; j++) u[off + j] = arr[j]
      } else if (field.type === 'u32') {
        const n = field.name === 'start' ? (value as number) - origin : (value as number)
        if (n < 0 || n > 0xffff_ffff) throw new RangeError(`voice ${i}: ${field.name} ${n} does not fit a u32`)
        u[off] = n
      } else {
        f[off] = value as number
      }
    }
  })
  return buf
}

/**
 * The descriptor as a Float64Array at the {@link VOICE_OFFSETS} word offsets (u32 fields as exact
 * integers, `start` not rebased). The CPU kernel reads its parameters from this block.
 */
export function voiceParams(v: VoiceDescriptor): Float64Array {
  const p = new Float64Array(VOICE_WORDS)
  for (const field of VOICE_FIELDS) {
    const off = VOICE_OFFSETS[field.name]
    const value = v[field.name]
    if (field.count > 1) {
      const arr = value as Uint32Array
      for (let j = 0; j < field.count; j++) p[off + j] = arr[j]
    } else {
      p[off] = value as number
    }
  }
  return p
}

/** Reads back voices packed by {@link packVoices} (with `origin` added back to `start`). */
export function unpackVoices(buffer: ArrayBuffer, origin = 0): VoiceDescriptor[] {
  const u = new Uint32Array(buffer)
  const f = new Float32Array(buffer)
  const n = Math.floor(u.length / VOICE_WORDS)
  const out: VoiceDescriptor[] = []
  for (let i = 0; i < n; i++) {
    const base = i * VOICE_WORDS
    const v: Record<string, number | Uint32Array> = {}
    for (const field of VOICE_FIELDS) {
      const off = base + VOICE_OFFSETS[field.name]
      if (field.count > 1) v[field.name] = u.slice(off, off + field.count)
      else if (field.type === 'u32') v[field.name] = u[off] + (field.name === 'start' ? origin : 0)
      else v[field.name] = f[off]
    }
    out.push(v as unknown as VoiceDescriptor)
  }
  return out
}
