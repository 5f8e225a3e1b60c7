/**
 * Presets: one per instrument id of the shared table (`@auralis/protocol`'s INSTRUMENTS), as plain data in
 * musical units (seconds, Hz, cents, octaves). {@link buildVoice} turns a preset and a note into a
 * {@link VoiceDescriptor}.
 */
import { INSTRUMENT_IDS, type InstrumentId } from '@auralis/protocol'

/** Oscillator waveforms. */
export type Waveform = 'sine' | 'triangle' | 'saw' | 'square'
/** Filter responses (12 dB/octave state-variable filter). */
export type FilterMode = 'lp' | 'bp' | 'hp'

/** ADSR in seconds (sustain 0–1). Segments are exponential; see `envelopeAt`. */
export interface Adsr {
  readonly attack: number
  readonly decay: number
  readonly sustain: number
  readonly release: number
}

/** A synthesizer patch. Every field except `amp`, `gain`, `pan` and the sends is optional. */
export interface Preset {
  readonly name: string
  readonly description: string
  /** Linear output gain at full velocity. */
  readonly gain: number
  /** Level follows (velocity/127)^velocityCurve. Default 1.5. */
  readonly velocityCurve?: number
  /** Drums: the pitch at the instrument's drum note (other notes transpose it, ±12 semitones at most). */
  readonly drum?: { readonly baseHz: number }
  /** Oscillator A, with optional unison (1–4 voices spread over `detune` cents). */
  readonly oscA?: {
    readonly wave: Waveform
    readonly level: number
    readonly unison?: number
    readonly detune?: number
    readonly semitones?: number
    readonly pulseWidth?: number
  }
  /** Oscillator B. */
  readonly oscB?: {
    readonly wave: Waveform
    readonly level: number
    readonly semitones?: number
    readonly cents?: number
    readonly pulseWidth?: number
  }
  /** 2-operator FM: sine modulator at `modRatio`·f into a sine carrier at `carrierRatio`·f. */
  readonly fm?: {
    readonly level: number
    readonly carrierRatio: number
    readonly modRatio: number
    /** Peak modulation index (radians). */
    readonly index: number
    /** Index decays to `index·indexSustain` with time constant `indexDecay` seconds (0 = constant). */
    readonly indexSustain?: number
    readonly indexDecay?: number
    /** How much a soft note lowers the index (0–1): index × (1 − k·(1 − vel/127)). */
    readonly velocityToIndex?: number
  }
  /** The metallic bank: six squares at the TR-808 cymbal ratios × `scale`. */
  readonly metal?: { readonly level: number; readonly scale: number }
  /** White noise, optionally in bursts (clap), decaying with time constant `decay` s to `sustain`. */
  readonly noise?: {
    readonly level: number
    readonly decay?: number
    readonly sustain?: number
    /** Route the noise through the filter (default true when there is a filter). */
    readonly toFilter?: boolean
    readonly bursts?: { readonly count: number; readonly spacing: number; readonly decay: number }
  }
  /** Karplus–Strong string: `decay` = T60 in seconds at middle C, `brightness` 0–1 at full velocity. */
  readonly ks?: {
    readonly level: number
    readonly decay: number
    readonly brightness: number
    readonly velocityToBrightness?: number
  }
  /** Oscillator-only exponential decay (time constant, s) — e.g. the snare's tone under its noise. */
  readonly oscDecay?: number
  /** Pitch envelope: f × (1 + amount·e^(−t/decay)). */
  readonly pitchEnv?: { readonly amount: number; readonly decay: number }
  /** Vibrato depth (cents), rate (Hz), onset delay and fade-in (s). */
  readonly vibrato?: { readonly cents: number; readonly rate: number; readonly delay?: number; readonly rise?: number }
  /** The state-variable filter. */
  readonly filter?: {
    readonly mode: FilterMode
    readonly cutoff: number
    readonly q?: number
    /** Cutoff follows the note: × 2^(keyTrack·(note − 60)/12). */
    readonly keyTrack?: number
    /** Envelope amount in octaves (may be negative). */
    readonly envOctaves?: number
    /** Soft notes are darker: cutoff × 2^(velocityToCutoff·(vel/127 − 1)). */
    readonly velocityToCutoff?: number
    readonly env?: Adsr
    /** Route oscillators through the filter (default true). */
    readonly oscToFilter?: boolean
  }
  /** Amplitude envelope. */
  readonly amp: Adsr
  /** Drums: ignore the note length; the voice lasts attack + decay. */
  readonly oneShot?: boolean
  /** Amp and filter attack = this fraction of the note length (a swell). */
  readonly attackFromGate?: number
  /** Higher notes decay faster: decay times × 2^(−decayKeyTrack·(note − 60)/12). */
  readonly decayKeyTrack?: number
  /** Random start phases per voice (from its seed) instead of 0. */
  readonly freePhase?: boolean
  /** Pan −1 (left) … 1 (right), equal power. */
  readonly pan: number
  /** Reverb and delay send levels. */
  readonly reverb: number
  readonly delay: number
}

const adsr = (attack: number, decay: number, sustain: number, release: number): Adsr => ({ attack, decay, sustain, release })

/** The built-in presets, one per instrument id. */
export const PRESETS: Readonly<Record<InstrumentId, Preset>> = Object.freeze({
  pad: {
    name: 'Warm Pad',
    description: 'Two detuned saw layers (3-voice unison ±9 cents) and a sub sine through a slowly opening low-pass.',
    gain: 0.2,
    velocityCurve: 1,
    oscA: { wave: 'saw', level: 0.5, unison: 3, detune: 18 },
    oscB: { wave: 'sine', level: 0.35, semitones: -12 },
    filter: {
      mode: 'lp', cutoff: 700, q: 0.9, keyTrack: 0.5, envOctaves: 1.6, velocityToCutoff: 1,
      env: adsr(1.2, 2.5, 0.45, 2.5),
    },
    amp: adsr(0.7, 1.5, 0.85, 2.2),
    freePhase: true,
    pan: 0,
    reverb: 0.5,
    delay: 0.08,
  },
  lead: {
    name: 'Lead',
    description: 'Two slightly detuned squares plus a saw an octave up, filter envelope, delayed vibrato.',
    gain: 0.38,
    oscA: { wave: 'square', level: 0.45, unison: 2, detune: 10, pulseWidth: 0.5 },
    oscB: { wave: 'saw', level: 0.25, semitones: 12 },
    filter: {
      mode: 'lp', cutoff: 1800, q: 1.4, keyTrack: 0.6, envOctaves: 1.5, velocityToCutoff: 1.2,
      env: adsr(0.005, 0.35, 0.35, 0.3),
    },
    vibrato: { cents: 12, rate: 5.5, delay: 0.25, rise: 0.35 },
    amp: adsr(0.006, 0.3, 0.75, 0.25),
    freePhase: true,
    pan: 0.15,
    reverb: 0.25,
    delay: 0.25,
  },
  bass: {
    name: 'Bass',
    description: 'Saw plus a sub sine, resonant low-pass with a fast envelope sweep.',
    gain: 0.42,
    velocityCurve: 1.2,
    oscA: { wave: 'saw', level: 0.6 },
    oscB: { wave: 'sine', level: 0.6, semitones: -12 },
    filter: {
      mode: 'lp', cutoff: 260, q: 1.6, keyTrack: 0.5, envOctaves: 2.4, velocityToCutoff: 1.2,
      env: adsr(0.002, 0.22, 0.15, 0.1),
    },
    amp: adsr(0.003, 0.5, 0.75, 0.07),
    pan: 0,
    reverb: 0.04,
    delay: 0,
  },
  keys: {
    name: 'Electric Piano',
    description: 'FM 1:1 with a fast-decaying index (the tine bark) and a soft sine body.',
    gain: 0.3,
    fm: { level: 0.7, carrierRatio: 1, modRatio: 1, index: 2.2, indexSustain: 0.2, indexDecay: 0.35, velocityToIndex: 0.7 },
    oscA: { wave: 'sine', level: 0.35 },
    amp: adsr(0.002, 2.6, 0.0, 0.35),
    decayKeyTrack: 0.4,
    pan: -0.25,
    reverb: 0.25,
    delay: 0.08,
  },
  piano: {
    name: 'Piano',
    description: 'FM piano: 1:1 pair with a decaying index, a triangle body and a short hammer noise; high notes decay faster.',
    gain: 0.3,
    fm: { level: 0.55, carrierRatio: 1, modRatio: 1, index: 1.6, indexSustain: 0.15, indexDecay: 0.6, velocityToIndex: 0.8 },
    oscA: { wave: 'triangle', level: 0.35 },
    oscB: { wave: 'sine', level: 0.15, semitones: 12, cents: 3 },
    noise: { level: 0.12, decay: 0.004, toFilter: false },
    amp: adsr(0.002, 3.5, 0.0, 0.3),
    decayKeyTrack: 0.5,
    pan: -0.1,
    reverb: 0.2,
    delay: 0,
  },
  sax: {
    name: 'Tenor Sax',
    description: 'Saw and narrow square through a velocity-bright low-pass, breath noise, pitch scoop and delayed vibrato.',
    gain: 0.3,
    velocityCurve: 1.3,
    oscA: { wave: 'saw', level: 0.55 },
    oscB: { wave: 'square', level: 0.3, pulseWidth: 0.35 },
    noise: { level: 0.06, toFilter: true },
    filter: {
      mode: 'lp', cutoff: 900, q: 1.3, keyTrack: 0.8, envOctaves: 1.2, velocityToCutoff: 1.6,
      env: adsr(0.06, 0.4, 0.45, 0.15),
    },
    pitchEnv: { amount: -0.03, decay: 0.04 },
    vibrato: { cents: 18, rate: 5.2, delay: 0.2, rise: 0.3 },
    amp: adsr(0.03, 0.2, 0.8, 0.12),
    freePhase: true,
    pan: 0.2,
    reverb: 0.25,
    delay: 0.12,
  },
  pluck: {
    name: 'Pluck',
    description: 'Karplus–Strong string; velocity sets the pick brightness.',
    gain: 0.5,
    ks: { level: 1, decay: 2.2, brightness: 0.85, velocityToBrightness: 0.6 },
    filter: { mode: 'lp', cutoff: 5000, q: 0.7, keyTrack: 0.3 },
    amp: adsr(0.0005, 0.01, 1, 0.12),
    pan: -0.35,
    reverb: 0.3,
    delay: 0.3,
  },
  bell: {
    name: 'Bell',
    description: 'Inharmonic FM (modulator at 3.5× the carrier) with a long decay and a slowly falling index.',
    gain: 0.3,
    fm: { level: 0.8, carrierRatio: 1, modRatio: 3.5, index: 3, indexSustain: 0.25, indexDecay: 1.2, velocityToIndex: 0.6 },
    oscA: { wave: 'sine', level: 0.25 },
    amp: adsr(0.001, 4.5, 0, 1.5),
    decayKeyTrack: 0.3,
    pan: 0.35,
    reverb: 0.5,
    delay: 0.25,
  },
  kick: {
    name: 'Kick',
    description: 'Sine with an exponential pitch sweep (≈ 5.5× down to 48 Hz) and a noise click.',
    gain: 0.9,
    velocityCurve: 1.2,
    drum: { baseHz: 48 },
    oscA: { wave: 'sine', level: 1 },
    pitchEnv: { amount: 4.5, decay: 0.035 },
    noise: { level: 0.25, decay: 0.003 },
    amp: adsr(0.0005, 0.55, 0, 0),
    oneShot: true,
    pan: 0,
    reverb: 0.03,
    delay: 0,
  },
  snare: {
    name: 'Snare',
    description: 'Triangle tone at 185 Hz with a short pitch drop, plus high-passed noise.',
    gain: 0.55,
    drum: { baseHz: 185 },
    oscA: { wave: 'triangle', level: 0.7 },
    oscDecay: 0.05,
    pitchEnv: { amount: 0.4, decay: 0.02 },
    noise: { level: 0.8, decay: 0.09, toFilter: true },
    filter: { mode: 'hp', cutoff: 1400, q: 0.8, oscToFilter: false },
    amp: adsr(0.0005, 0.3, 0, 0),
    oneShot: true,
    pan: 0.05,
    reverb: 0.15,
    delay: 0,
  },
  hat: {
    name: 'Closed Hat',
    description: 'Six-square metallic bank plus noise, high-passed at 7.5 kHz, short.',
    gain: 0.6,
    drum: { baseHz: 1 },
    metal: { level: 0.12, scale: 1.3 },
    noise: { level: 0.45 },
    filter: { mode: 'hp', cutoff: 7500, q: 1.1 },
    amp: adsr(0.0005, 0.09, 0, 0),
    oneShot: true,
    pan: 0.3,
    reverb: 0.08,
    delay: 0,
  },
  openhat: {
    name: 'Open Hat',
    description: 'The closed hat with a long decay and a slightly lower high-pass.',
    gain: 0.5,
    drum: { baseHz: 1 },
    metal: { level: 0.12, scale: 1.3 },
    noise: { level: 0.45 },
    filter: { mode: 'hp', cutoff: 6500, q: 1 },
    amp: adsr(0.0005, 0.7, 0, 0),
    oneShot: true,
    pan: 0.3,
    reverb: 0.1,
    delay: 0,
  },
  ride: {
    name: 'Ride',
    description: 'Metallic bank an octave lower, an inharmonic FM ping and noise, band-passed around 5 kHz, long.',
    gain: 0.3,
    drum: { baseHz: 1 },
    metal: { level: 0.1, scale: 2.1 },
    fm: { level: 0.3, carrierRatio: 3100, modRatio: 4460, index: 1.2, indexSustain: 0.3, indexDecay: 0.5 },
    noise: { level: 0.25, decay: 0.3, sustain: 0.3 },
    filter: { mode: 'bp', cutoff: 5200, q: 0.6 },
    amp: adsr(0.0005, 2.2, 0, 0),
    oneShot: true,
    pan: -0.3,
    reverb: 0.12,
    delay: 0,
  },
  clap: {
    name: 'Clap',
    description: 'Three noise bursts 11 ms apart and a decaying tail, band-passed around 1.2 kHz.',
    gain: 0.6,
    drum: { baseHz: 1 },
    noise: { level: 1, decay: 0.07, bursts: { count: 3, spacing: 0.011, decay: 0.0035 } },
    filter: { mode: 'bp', cutoff: 1200, q: 1.4 },
    amp: adsr(0.0003, 0.45, 0, 0),
    oneShot: true,
    pan: -0.05,
    reverb: 0.3,
    delay: 0.05,
  },
  swell: {
    name: 'Cymbal Swell',
    description: 'Noise and metal through a low-pass that opens over the note: a crescendo lasting the note length.',
    gain: 0.28,
    drum: { baseHz: 1 },
    metal: { level: 0.05, scale: 1.6 },
    noise: { level: 0.7 },
    filter: { mode: 'lp', cutoff: 500, q: 1.2, envOctaves: 4.2, env: adsr(1, 0, 1, 0.6) },
    amp: adsr(1, 0, 1, 0.6),
    attackFromGate: 1,
    pan: 0,
    reverb: 0.45,
    delay: 0,
  },
} satisfies Record<InstrumentId, Preset>)

/** The preset for an instrument id (throws a `RangeError` for an unknown id). */
export function getPreset(id: string): Preset {
  const p = (PRESETS as Record<string, Preset | undefined>)[id]
  if (!p) throw new RangeError(`no preset for instrument "${id}" (expected one of ${INSTRUMENT_IDS.join(', ')})`)
  return p
}
