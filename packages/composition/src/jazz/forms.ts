/**
 * Jazz forms as roman numerals (turned into chord symbols by tonal in any key), and chord charts parsed
 * from text (`Dm7 | G7 | Cmaj7 | %`).
 */
import type { Mode } from '@auralis/protocol'
import { CompositionError } from '../errors.js'
import { isChordSymbol, romanChords, transposeKey } from '../theory.js'

/** The built-in forms. */
export const FORMS = ['ii-V-I', 'blues', 'rhythm-changes'] as const
/** A built-in form name. */
export type FormName = (typeof FORMS)[number]

/** A chart: bars, each a list of 1–beatsPerBar chord symbols spread evenly over the bar. */
export type ChartBars = readonly (readonly string[])[]

const MINORISH: readonly Mode[] = ['dorian', 'phrygian', 'aeolian', 'locrian']

/** Whether a mode calls for the minor version of a form (minor ii–V–i, minor blues). */
export function isMinorMode(mode: Mode): boolean {
  return MINORISH.includes(mode)
}

const split = (bars: string): string[][] => bars.split('|').map((b) => b.trim().split(/\s+/))

const BLUES_MAJOR = split('I7 | IV7 | I7 | Vm7 I7 | IV7 | #IVo7 | I7 | VI7 | IIm7 | V7 | I7 VI7 | IIm7 V7')
const BLUES_MINOR = split('Im7 | IVm7 | Im7 | Im7 | IVm7 | IVm7 | Im7 | Im7 | bVI7 | V7 | Im7 | IIm7b5 V7')
const RHYTHM_A1 = 'I6 VI7 | IIm7 V7 | IIIm7 VI7 | IIm7 V7 | Vm7 I7 | IV6 #IVo7 | IIIm7 VI7 | IIm7 V7'
const RHYTHM_A2 = 'I6 VI7 | IIm7 V7 | IIIm7 VI7 | IIm7 V7 | Vm7 I7 | IV6 #IVo7 | IIm7 V7 | I6'
const RHYTHM_B = 'III7 | III7 | VI7 | VI7 | II7 | II7 | V7 | V7'
const RHYTHM_CHANGES = split(`${RHYTHM_A1} | ${RHYTHM_A2} | ${RHYTHM_B} | ${RHYTHM_A2}`)
const TWO_FIVE_ONE_MAJOR = split('IIm7 | V7 | Imaj7 | Imaj7')
const TWO_FIVE_ONE_MINOR = split('IIm7b5 | V7b9 | Im6 | Im6')

/** Length of a form in bars (the ii–V–I cycle visits all 12 keys: 48 bars). */
export function formLength(form: FormName): number {
  return form === 'blues' ? 12 : form === 'rhythm-changes' ? 32 : 48
}

function realise(key: string, romanBars: readonly (readonly string[])[]): string[][] {
  const flat = romanBars.flat()
  const symbols = romanChords(key, flat)
  const out: string[][] = []
  let k = 0
  for (const bar of romanBars) out.push(bar.map(() => symbols[k++]))
  return out
}

/**
 * The chords of bar `barInForm` of a form in `key` (the ii–V–I cycle moves up a fourth every four bars,
 * through all 12 keys; minor modes use minor ii–V–i and minor blues).
 */
export function formBar(form: FormName, key: string, mode: Mode, barInForm: number): readonly string[] {
  const minor = isMinorMode(mode)
  const len = formLength(form)
  const bar = ((barInForm % len) + len) % len
  if (form === 'blues') return realise(key, [(minor ? BLUES_MINOR : BLUES_MAJOR)[bar]])[0]
  if (form === 'rhythm-changes') return realise(key, [RHYTHM_CHANGES[bar]])[0]
  const cycle = Math.floor(bar / 4)
  return realise(transposeKey(key, 5 * cycle), [(minor ? TWO_FIVE_ONE_MINOR : TWO_FIVE_ONE_MAJOR)[bar % 4]])[0]
}

/**
 * Parses a chart: bars separated by `|`, chords in a bar separated by spaces, `%` repeats the previous
 * bar. Empty bars at the ends (`| Dm7 | G7 |`) are ignored.
 * @throws {@link CompositionError} (field `chart`) for an empty chart, an unknown symbol or an overfull bar.
 */
export function parseChart(text: string, beatsPerBar = 4): string[][] {
  if (typeof text !== 'string') throw new CompositionError('chart', 'must be a string', 'chord symbols separated by |, e.g. "Dm7 | G7 | Cmaj7 | %"')
  const raw = text.split('|').map((b) => b.trim())
  while (raw.length && raw[0] === '') raw.shift()
  while (raw.length && raw[raw.length - 1] === '') raw.pop()
  if (raw.length === 0) throw new CompositionError('chart', 'has no bars', 'chord symbols separated by |, e.g. "Dm7 | G7 | Cmaj7 | %"')
  if (raw.length > 1024) throw new CompositionError('chart', `has ${raw.length} bars`, 'at most 1024 bars')
  const bars: string[][] = []
  raw.forEach((bar, i) => {
    if (bar === '%' ) {
      if (!bars.length) throw new CompositionError('chart', 'bar 1 is % (repeat) with nothing before it', 'a chord symbol in bar 1')
      bars.push(bars[bars.length - 1].slice())
      return
    }
    const chords = bar.split(/\s+/).filter(Boolean)
    if (chords.length === 0) throw new CompositionError('chart', `bar ${i + 1} is empty`, 'at least one chord symbol per bar')
    if (chords.length > beatsPerBar) throw new CompositionError('chart', `bar ${i + 1} has ${chords.length} chords`, `at most ${beatsPerBar} chords per bar`)
    for (const c of chords) {
      if (c.length > 32 || !isChordSymbol(c)) throw new CompositionError('chart', `bar ${i + 1}: unknown chord symbol "${c.slice(0, 32)}"`, 'chord symbols tonal understands, e.g. Dm7, G7, Cmaj7, Bb6, F#m7b5')
    }
    bars.push(chords)
  })
  return bars
}

/** Places a bar's chords on beats: n chords spread evenly (2 in 4/4 → beats 0 and 2). */
export function placeBar(symbols: readonly string[], bar: number, beatsPerBar: number): { bar: number; beat: number; symbol: string }[] {
  const n = symbols.length
  return symbols.map((symbol, i) => ({ bar, beat: Math.floor((i * beatsPerBar) / n), symbol }))
}
