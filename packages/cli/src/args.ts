/**
 * Command-line parsing: `argv` → a {@link Command}, pure (no I/O). Flags are read with Node's `util.parseArgs`;
 * the values are checked by the packages that own the rules (the composer for style/key/mode/bpm/intensity/
 * seed/form, synth-core for sample rate and bit depth), whose errors become {@link UsageError}s naming the flag.
 */
import { parseArgs } from 'node:util'
import { ALLOWED, CompositionError, type FormName } from '@auralis/composition'
import type { Key, Mode, Style } from '@auralis/protocol'
import { createStreamRenderer } from '@auralis/synth-core'
import { UsageError } from './errors.js'
import { DEFAULTS, MAX_SECONDS, STYLE_DEFAULTS, type OutputFormat, type RenderOptions } from './options.js'
import { composerFor } from './sections.js'
import { maxWavFrames, wavHeader } from './wav-writer.js'

/** What the command line asks for. */
export type Command =
  | { kind: 'help'; topic: 'general' | 'render' }
  | { kind: 'version' }
  | { kind: 'render'; options: RenderOptions }

/** Commands `auralis` knows. */
export const COMMANDS = ['render', 'help'] as const

/** Output file extensions and their formats. */
export const EXTENSIONS: Readonly<Record<string, OutputFormat>> = Object.freeze({ '.wav': 'wav', '.mid': 'mid', '.txt': 'txt' })

const RENDER_FLAGS = {
  style: { type: 'string' },
  seed: { type: 'string' },
  key: { type: 'string' },
  mode: { type: 'string' },
  bpm: { type: 'string' },
  intensity: { type: 'string' },
  form: { type: 'string' },
  minutes: { type: 'string' },
  seconds: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'sample-rate': { type: 'string' },
  'bit-depth': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const

const TOP_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const

/** The allowed values a synth-core RangeError states (`… must be 8000–384000 (got 0)` → `8000–384000`). */
function allowedFrom(probe: () => unknown): string {
  try {
    probe()
  } catch (err) {
    const m = /must be (.+?) \(got/.exec(String((err as Error).message))
    if (m) return m[1]
  }
  return 'see auralis render --help'
}

const allowedSampleRate = (): string => `a whole number of Hz, ${allowedFrom(() => createStreamRenderer({ sampleRate: 0 }))}`
const allowedBitDepth = (): string => allowedFrom(() => wavHeader({ sampleRate: 48000, channels: 2, bitDepth: 0 as 16 }, 0))
const allowedDuration = (unit: 'minutes' | 'seconds'): string =>
  `a number > 0 and at most ${unit === 'minutes' ? MAX_SECONDS / 60 : MAX_SECONDS}`

/** The allowed values of each `render` flag, in words (from the packages that own the rules). */
export function allowedFor(flag: string): string {
  const name = flag.replace(/^-+/, '')
  switch (name) {
    case 'style': case 'seed': case 'key': case 'mode': case 'bpm': case 'intensity': case 'form':
      return ALLOWED[name]
    case 'minutes': case 'seconds':
      return allowedDuration(name)
    case 'out': case 'o':
      return `a writable path ending in ${Object.keys(EXTENSIONS).join(', ')}`
    case 'sample-rate':
      return allowedSampleRate()
    case 'bit-depth':
      return allowedBitDepth()
    default:
      return renderFlagList()
  }
}

/** The `render` flags, as typed (`--style, --seed, …`). */
export function renderFlagList(): string {
  return Object.keys(RENDER_FLAGS).map((f) => `--${f}`).join(', ')
}

/** Turns a `util.parseArgs` error into a {@link UsageError} naming the flag. */
function fromParseError(err: unknown, flags: string): UsageError {
  const e = err as { code?: string; message?: string }
  const msg = String(e.message ?? err)
  const quoted = /'([^']+)'/.exec(msg)?.[1] ?? ''
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(' ')[0]
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(flag || 'option', 'unknown option', flags)
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(msg)) return new UsageError(flag, 'takes no value', `${flag} alone`)
      return new UsageError(flag, `needs a value (write ${flag}=VALUE for a value starting with "-")`, allowedFor(flag))
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`argument "${quoted}"`, 'unexpected', `flags only, e.g. --out song.wav`)
    default:
      return new UsageError('arguments', msg.split('\n')[0], flags)
  }
}

function number(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const v = raw.trim() === '' ? NaN : Number(raw)
  if (!Number.isFinite(v)) throw new UsageError(flag, `got "${raw}", not a number`, allowedFor(flag))
  return v
}

function normalizeKey(raw: string): string {
  return raw.length ? raw[0].toUpperCase() + raw.slice(1).toLowerCase() : raw
}

/** The output format of `path`, from its extension (case-insensitive). */
export function formatOf(path: string): OutputFormat | undefined {
  const m = /\.[^./\\]+$/.exec(path)
  return m ? EXTENSIONS[m[0].toLowerCase()] : undefined
}

const COMPOSER_FLAGS: Readonly<Record<string, string>> = {
  style: '--style', seed: '--seed', key: '--key', mode: '--mode', bpm: '--bpm', intensity: '--intensity', form: '--form',
}

type RenderValues = { [K in keyof typeof RENDER_FLAGS]?: (typeof RENDER_FLAGS)[K]['type'] extends 'boolean' ? boolean : string }

function seconds(values: RenderValues): number {
  const minutes = number('--minutes', values.minutes)
  const secs = number('--seconds', values.seconds)
  if (minutes !== undefined && secs !== undefined) {
    throw new UsageError('--seconds', 'cannot be given with --minutes', 'one of --minutes or --seconds')
  }
  const flag = minutes !== undefined ? '--minutes' : '--seconds'
  const v = minutes !== undefined ? minutes * 60 : secs ?? DEFAULTS.seconds
  if (!(v > 0) || v > MAX_SECONDS) {
    throw new UsageError(flag, `got ${minutes ?? secs}`, allowedFor(flag))
  }
  return v
}

function renderOptions(values: RenderValues): RenderOptions {
  if (values.out === undefined || values.out === '') throw new UsageError('--out', 'missing', allowedFor('--out'))
  const format = formatOf(values.out)
  if (!format) throw new UsageError('--out', `unknown extension in "${values.out}"`, allowedFor('--out'))
  const duration = seconds(values)

  const style = (values.style?.toLowerCase() ?? DEFAULTS.style) as Style
  const styleDefaults = (STYLE_DEFAULTS as Record<string, { bpm: number; mode: Mode }>)[style] ?? STYLE_DEFAULTS.ambient
  const music = {
    style,
    seed: number('--seed', values.seed) ?? DEFAULTS.seed,
    key: (values.key !== undefined ? normalizeKey(values.key) : DEFAULTS.key) as Key,
    mode: (values.mode?.toLowerCase() ?? styleDefaults.mode) as Mode,
    bpm: number('--bpm', values.bpm) ?? styleDefaults.bpm,
    intensity: number('--intensity', values.intensity) ?? DEFAULTS.intensity,
    ...(values.form !== undefined ? { form: values.form as FormName } : {}),
  }
  try {
    composerFor(music)
  } catch (err) {
    if (!(err instanceof CompositionError)) throw err
    const flag = COMPOSER_FLAGS[err.field] ?? `--${err.field}`
    const raw = (values as Record<string, unknown>)[err.field]
    throw new UsageError(flag, raw !== undefined ? `got "${String(raw)}"` : 'invalid', err.allowed)
  }

  const sampleRate = number('--sample-rate', values['sample-rate']) ?? DEFAULTS.sampleRate
  if (!Number.isInteger(sampleRate)) throw new UsageError('--sample-rate', `got "${values['sample-rate']}"`, allowedSampleRate())
  try {
    createStreamRenderer({ sampleRate })
  } catch (err) {
    if (!(err instanceof RangeError)) throw err
    throw new UsageError('--sample-rate', `got "${values['sample-rate']}"`, allowedSampleRate())
  }
  const bitDepth = (number('--bit-depth', values['bit-depth']) ?? DEFAULTS.bitDepth) as 16 | 32
  const channels = DEFAULTS.channels
  let maxFrames: number
  try {
    maxFrames = maxWavFrames({ sampleRate, channels, bitDepth })
  } catch (err) {
    if (!(err instanceof RangeError)) throw err
    throw new UsageError('--bit-depth', `got "${values['bit-depth']}"`, allowedBitDepth())
  }
  if (format === 'wav' && Math.round(duration * sampleRate) > maxFrames) {
    const flag = values.minutes !== undefined ? '--minutes' : '--seconds'
    const max = maxFrames / sampleRate / (flag === '--minutes' ? 60 : 1)
    throw new UsageError(flag, `too long for a WAV file (4 GiB at ${sampleRate} Hz, ${channels} channels, ${bitDepth}-bit)`,
      `at most ${Math.floor(max * 10) / 10} for this format`)
  }
  return { ...music, seconds: duration, out: values.out, format, sampleRate, channels, bitDepth, quiet: values.quiet ?? false }
}

/**
 * Parses `auralis`'s arguments (without the node and script paths).
 * @throws {@link UsageError} naming the bad argument and what is allowed.
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv
  if (first === undefined) throw new UsageError('command', 'missing', COMMANDS.join(', '))
  if (first.startsWith('-')) {
    let values: { help?: boolean; version?: boolean }
    try {
      ;({ values } = parseArgs({ args: [...argv], options: TOP_FLAGS, strict: true, allowPositionals: false }))
    } catch (err) {
      throw fromParseError(err, '--help, --version, or a command: render')
    }
    if (values.version) return { kind: 'version' }
    return { kind: 'help', topic: 'general' }
  }
  if (first === 'help') {
    if (rest.length === 0) return { kind: 'help', topic: 'general' }
    if (rest.length === 1 && rest[0] === 'render') return { kind: 'help', topic: 'render' }
    throw new UsageError('help', `unknown topic "${rest.join(' ')}"`, 'render')
  }
  if (first !== 'render') throw new UsageError('command', `unknown command "${first}"`, COMMANDS.join(', '))
  let values: RenderValues
  try {
    ;({ values } = parseArgs({ args: rest, options: RENDER_FLAGS, strict: true, allowPositionals: false }))
  } catch (err) {
    throw fromParseError(err, renderFlagList())
  }
  if (values.help) return { kind: 'help', topic: 'render' }
  return { kind: 'render', options: renderOptions(values) }
}
