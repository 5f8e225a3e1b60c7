/** What a render needs, once the command line has been checked: plain data. */
import type { FormName } from '@auralis/composition'
import type { Key, Mode, Style } from '@auralis/protocol'

/** Output formats, chosen by the `--out` file's extension. */
export type OutputFormat = 'wav' | 'mid' | 'txt'

/** The music to compose: the composer's options. */
export interface MusicOptions {
  /** `ambient` or `jazz`. */
  style: Style
  /** PRNG seed (composer and synth voices), an unsigned 32-bit integer. */
  seed: number
  /** Key root. */
  key: Key
  /** Diatonic mode. */
  mode: Mode
  /** Tempo in BPM. */
  bpm: number
  /** Intensity 0–1. */
  intensity: number
  /** Jazz form (jazz only; the composer's default when absent). */
  form?: FormName
}

/** A fully checked render: what to compose, how long, where to and in which format. */
export interface RenderOptions extends MusicOptions {
  /** Length of the output in seconds (> 0). */
  seconds: number
  /** Output path. */
  out: string
  /** Output format (from the extension of `out`). */
  format: OutputFormat
  /** WAV sample rate in Hz. */
  sampleRate: number
  /** WAV channels, 1 or 2. */
  channels: 1 | 2
  /** WAV sample format: 16-bit PCM or 32-bit float. */
  bitDepth: 16 | 32
  /** No progress output. */
  quiet: boolean
}

/** Defaults per style when a flag is not given (tempo and mode suit the style). */
export const STYLE_DEFAULTS: Readonly<Record<Style, { bpm: number; mode: Mode }>> = Object.freeze({
  ambient: { bpm: 70, mode: 'lydian' },
  jazz: { bpm: 140, mode: 'ionian' },
})

/** Defaults of the flags that do not depend on the style. */
export const DEFAULTS = Object.freeze({
  style: 'ambient' as Style,
  seed: 1,
  key: 'C' as Key,
  intensity: 0.5,
  seconds: 60,
  sampleRate: 48000,
  channels: 2 as const,
  bitDepth: 16 as const,
})

/** The longest render accepted in any format, in seconds (12 hours); WAV is further bounded by its 4 GiB size limit. */
export const MAX_SECONDS = 12 * 3600
