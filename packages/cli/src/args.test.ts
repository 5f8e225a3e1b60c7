import { ALLOWED } from '@auralis/composition'
import { describe, expect, it } from 'vitest'
import { allowedFor, formatOf, parseCommandLine } from './args.js'
import { UsageError } from './errors.js'
import { MAX_SECONDS, STYLE_DEFAULTS } from './options.js'

function usage(argv: string[]): UsageError {
  try {
    parseCommandLine(argv)
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError)
    return err as UsageError
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`)
}

function render(argv: string[]) {
  const c = parseCommandLine(['render', ...argv])
  if (c.kind !== 'render') throw new Error(`not a render: ${c.kind}`)
  return c.options
}

describe('parseCommandLine: commands', () => {
  it('reads help and version in their usual spellings', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', topic: 'general' })
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help', topic: 'general' })
    expect(parseCommandLine(['help'])).toEqual({ kind: 'help', topic: 'general' })
    expect(parseCommandLine(['help', 'render'])).toEqual({ kind: 'help', topic: 'render' })
    expect(parseCommandLine(['render', '--help'])).toEqual({ kind: 'help', topic: 'render' })
    expect(parseCommandLine(['render', '-h', '--bpm', '9999'])).toEqual({ kind: 'help', topic: 'render' })
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' })
    expect(parseCommandLine(['-v'])).toEqual({ kind: 'version' })
  })
})

describe('parseCommandLine: render options', () => {
  it('reads the documented example', () => {
    expect(render(['--style', 'jazz', '--seed', '7', '--minutes', '10', '--out', 'jazz.wav'])).toEqual({
      style: 'jazz', seed: 7, key: 'C', mode: STYLE_DEFAULTS.jazz.mode, bpm: STYLE_DEFAULTS.jazz.bpm, intensity: 0.5,
      seconds: 600, out: 'jazz.wav', format: 'wav', sampleRate: 48000, channels: 2, bitDepth: 16, quiet: false,
    })
  })

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const o = render([
      '--style=ambient', '--seed', '4294967295', '--key', 'f#', '--mode', 'Dorian', '--bpm=61.5', '--intensity', '0.9',
      '--form', 'rhythm-changes', '--seconds', '2.5', '-o', 'a/b.MID', '--sample-rate', '44100', '--bit-depth', '32', '-q',
    ])
    expect(o).toEqual({
      style: 'ambient', seed: 4294967295, key: 'F#', mode: 'dorian', bpm: 61.5, intensity: 0.9, form: 'rhythm-changes',
      seconds: 2.5, out: 'a/b.MID', format: 'mid', sampleRate: 44100, channels: 2, bitDepth: 32, quiet: true,
    })
  })

  it('uses style defaults for tempo and mode', () => {
    expect(render(['--out', 'x.txt'])).toMatchObject({ style: 'ambient', bpm: STYLE_DEFAULTS.ambient.bpm, mode: STYLE_DEFAULTS.ambient.mode, seconds: 60, format: 'txt' })
    expect(render(['--style', 'jazz', '--out', 'x.txt'])).toMatchObject({ bpm: 140, mode: 'ionian' })
  })

  it('accepts the bounds themselves', () => {
    expect(render(['--bpm', '20', '--out', 'x.mid']).bpm).toBe(20)
    expect(render(['--bpm', '300', '--out', 'x.mid']).bpm).toBe(300)
    expect(render(['--minutes', String(MAX_SECONDS / 60), '--out', 'x.mid']).seconds).toBe(MAX_SECONDS)
    expect(render(['--sample-rate', '8000', '--out', 'x.wav']).sampleRate).toBe(8000)
  })

  it('maps an extension to its format, case-insensitively', () => {
    expect(formatOf('x.wav')).toBe('wav')
    expect(formatOf('dir.mid/x.TXT')).toBe('txt')
    expect(formatOf('x.mid')).toBe('mid')
    expect(formatOf('x.mp3')).toBeUndefined()
    expect(formatOf('wav')).toBeUndefined()
    expect(formatOf('dir.wav/x')).toBeUndefined()
  })
})

/** [argv after `render`, argument named, a fragment of the allowed values]. */
const BAD: [string[], string, string][] = [
  [['--out', 'x.wav', '--foo'], '--foo', '--style, --seed'],
  [['--out', 'x.wav', '--bpm'], '--bpm', ALLOWED.bpm],
  [['--out', 'x.wav', '--quiet=yes'], '--quiet', '--quiet alone'],
  [['--out', 'x.wav', 'extra'], 'argument "extra"', 'flags only'],
  [['--style', 'rock', '--out', 'x.wav'], '--style', ALLOWED.style],
  [['--mode', 'major', '--out', 'x.wav'], '--mode', ALLOWED.mode],
  [['--key', 'H', '--out', 'x.wav'], '--key', ALLOWED.key],
  [['--bpm', '19.9', '--out', 'x.wav'], '--bpm', '20–300'],
  [['--bpm', '301', '--out', 'x.wav'], '--bpm', '20–300'],
  [['--bpm', 'fast', '--out', 'x.wav'], '--bpm', '20–300'],
  [['--intensity', '1.5', '--out', 'x.wav'], '--intensity', ALLOWED.intensity],
  [['--seed', '-1', '--out', 'x.wav'], '--seed', ALLOWED.seed],
  [['--seed=-1', '--out', 'x.wav'], '--seed', ALLOWED.seed],
  [['--seed', '1.5', '--out', 'x.wav'], '--seed', ALLOWED.seed],
  [['--form', 'bebop', '--out', 'x.wav'], '--form', ALLOWED.form],
  [['--minutes', '0', '--out', 'x.wav'], '--minutes', 'a number > 0'],
  [['--minutes=-3', '--out', 'x.wav'], '--minutes', 'a number > 0'],
  [['--minutes', '721', '--out', 'x.mid'], '--minutes', 'at most 720'],
  [['--seconds', '0', '--out', 'x.wav'], '--seconds', 'a number > 0'],
  [['--seconds', 'NaN', '--out', 'x.wav'], '--seconds', 'a number > 0'],
  [['--seconds', '1', '--minutes', '1', '--out', 'x.wav'], '--seconds', 'one of --minutes or --seconds'],
  [['--minutes', '400', '--out', 'x.wav'], '--minutes', 'at most 372.8'],
  [['--sample-rate', '4000', '--out', 'x.wav'], '--sample-rate', '8000–384000'],
  [['--sample-rate', '44100.5', '--out', 'x.wav'], '--sample-rate', '8000–384000'],
  [['--bit-depth', '24', '--out', 'x.wav'], '--bit-depth', '16 or 32'],
  [['--style', 'jazz'], '--out', '.wav, .mid, .txt'],
  [['--out', 'x.mp3'], '--out', '.wav, .mid, .txt'],
  [['--out', 'noextension'], '--out', '.wav, .mid, .txt'],
]

describe('parseCommandLine: bad arguments', () => {
  it.each(BAD)('render %j → names %s and its allowed values', (argv, argument, allowed) => {
    const err = usage(['render', ...argv])
    expect(err.argument).toBe(argument)
    expect(err.allowed).toContain(allowed)
    expect(err.message).toMatch(new RegExp(`^${argument.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+ \\(allowed: .+\\)$`))
    expect(err.message).not.toContain('\n')
  })

  it('names a missing, unknown or misspelled command', () => {
    expect(usage([]).argument).toBe('command')
    expect(usage(['play']).message).toBe('command: unknown command "play" (allowed: render, help)')
    expect(usage(['--frob']).argument).toBe('--frob')
    expect(usage(['help', 'me']).argument).toBe('help')
  })

  it('takes the allowed values from the packages that own the rules', () => {
    for (const f of ['style', 'seed', 'key', 'mode', 'bpm', 'intensity', 'form']) expect(allowedFor(`--${f}`)).toBe(ALLOWED[f])
    expect(allowedFor('--sample-rate')).toContain('8000–384000')
    expect(allowedFor('--bit-depth')).toBe('16 or 32')
  })
})
