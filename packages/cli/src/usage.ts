/** Help texts. Allowed values come from the packages that own them, so the help never disagrees with the checks. */
import { allowedFor } from './args.js'
import { DEFAULTS, STYLE_DEFAULTS } from './options.js'

/** The one-line hint printed after a usage error. */
export const USAGE_HINT = 'Usage: auralis render --style jazz --seed 7 --minutes 10 --out jazz.wav  (see auralis render --help)'

/** `auralis --help`. */
export function generalHelp(version: string): string {
  return `auralis ${version} — render generative ambient and jazz to audio, MIDI or tracker text

Usage:
  auralis render [options] --out FILE   compose and render (see auralis render --help)
  auralis help [render]                 show help
  auralis --version                     print the version

Examples:
  auralis render --style jazz --seed 7 --minutes 10 --out jazz.wav
  auralis render --style ambient --key D --mode lydian --seconds 90 --out drift.mid
  auralis render --style jazz --form rhythm-changes --seconds 30 --out chart.txt

Exit codes: 0 done, 1 the render failed, 2 bad arguments, 130 interrupted.
`
}

/** `auralis render --help`. */
export function renderHelp(): string {
  const a = allowedFor
  return `Usage: auralis render [options] --out FILE

Composes music with a seeded composer and writes it; the format follows FILE's extension:
  .wav  rendered audio (synth-core), streamed to disk block by block
  .mid  Standard MIDI File (type 1): one track per instrument, drums on channel 10, tempo map
  .txt  tracker text of every section, each under a "# section …" header line

Music:
  --style S        ${a('style')} (default ${DEFAULTS.style})
  --seed N         ${a('seed')} (default ${DEFAULTS.seed})
  --key K          ${a('key')} (default ${DEFAULTS.key})
  --mode M         ${a('mode')} (default ${STYLE_DEFAULTS.ambient.mode} for ambient, ${STYLE_DEFAULTS.jazz.mode} for jazz)
  --bpm N          ${a('bpm')} (default ${STYLE_DEFAULTS.ambient.bpm} for ambient, ${STYLE_DEFAULTS.jazz.bpm} for jazz)
  --intensity X    ${a('intensity')} (default ${DEFAULTS.intensity})
  --form F         jazz form: ${a('form')} (default blues)

Length (one of):
  --minutes N      ${a('minutes')}
  --seconds N      ${a('seconds')} (default ${DEFAULTS.seconds})
  WAV output is exactly this long (with a fade-out over the last second); MIDI and text run to the end of
  the last section that starts before it.

Output:
  -o, --out FILE   ${a('out')} (required)
  --sample-rate N  WAV sample rate: ${a('sample-rate')} (default ${DEFAULTS.sampleRate})
  --bit-depth N    WAV samples: ${a('bit-depth')} (16-bit PCM or 32-bit float; default ${DEFAULTS.bitDepth})
  -q, --quiet      no progress output
  -h, --help       this help

Progress goes to stderr: a bar with speed (× real time) and ETA on a terminal, a line every few seconds otherwise.
`
}
