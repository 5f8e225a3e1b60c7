/**
 * Music theory lookups, all from `tonal` and memoised (the vocabulary is small: 17 key spellings, 7 modes and
 * the chord symbols in use), so composing a section never re-parses a chord.
 */
import { Chord, Interval, Mode, Note, Progression, Scale } from 'tonal'
import { CompositionError } from './errors.js'

/** What the generators need to know about one chord symbol. */
export interface ChordInfo {
  /** The symbol as written. */
  readonly symbol: string
  /** Root pitch class name, e.g. `Bb`. */
  readonly root: string
  /** Root chroma 0–11 (C = 0). */
  readonly rootChroma: number
  /** Chord-tone chromas, root first. */
  readonly tones: readonly number[]
  /** 12 booleans: is this chroma a chord tone. */
  readonly toneSet: readonly boolean[]
  /** Chord-scale chromas (from tonal's chord scales), ascending from the root. */
  readonly scale: readonly number[]
  /** 12 booleans: is this chroma in the chord scale. */
  readonly scaleSet: readonly boolean[]
  /** Name of the chord scale chosen, e.g. `dorian`. */
  readonly scaleName: string
  /** Rootless-voicing chromas, A form (3-5/13-7-9 from the bottom). */
  readonly rootlessA: readonly number[]
  /** Rootless-voicing chromas, B form (7-9-3-5/13 from the bottom). */
  readonly rootlessB: readonly number[]
}

const MAX_CACHE = 2048
const chordCache = new Map<string, ChordInfo>()
const scaleCache = new Map<string, readonly number[]>()
const diatonicCache = new Map<string, readonly DiatonicChord[]>()
const romanCache = new Map<string, readonly string[]>()

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= MAX_CACHE) cache.clear()
  cache.set(key, value)
  return value
}

/** Chord scales tried in order (names from tonal's scale dictionary); the first that fits the chord wins. */
const CHORD_SCALE_PREFERENCE = [
  'dorian', 'mixolydian', 'major', 'locrian', 'phrygian dominant', 'aeolian', 'melodic minor', 'lydian dominant',
  'diminished', 'lydian', 'phrygian', 'altered', 'half-whole diminished', 'whole tone',
]

function toSet(chromas: readonly number[]): boolean[] {
  const set = new Array<boolean>(12).fill(false)
  for (const c of chromas) set[c] = true
  return set
}

/** The chroma 0–11 of a note or pitch class name (`Bb`, `F#3`); -1 when unknown. */
export function chromaOf(name: string): number {
  const c = Note.chroma(name)
  return typeof c === 'number' && c >= 0 ? c : -1
}

/** A pitch class name for a chroma, spelled with flats (jazz spelling): 1 → `Db`. */
export function pitchClassName(chroma: number): string {
  return Note.pitchClass(Note.fromMidi(60 + (((chroma % 12) + 12) % 12)))
}

function intervalChroma(root: string, interval: string): number {
  return chromaOf(Note.transpose(root, interval))
}

function rootlessForms(root: string, intervals: readonly string[]): { a: number[]; b: number[] } {
  const find = (num: string) => intervals.find((i) => i.replace(/^-?(\d+).*$/, '$1') === num)
  const third = find('3') ?? find('4') ?? find('2') ?? '3M'
  const seventh = find('7') ?? find('6') ?? (third === '3m' ? '7m' : '7M')
  const fifth = find('5') ?? '5P'
  const isDominant = third === '3M' && seventh === '7m'
  const isHalfDim = third === '3m' && fifth === '5d' && seventh === '7m'
  const isDim = seventh === '7d'
  const ninth = find('9') ?? (isHalfDim ? '11P' : isDim ? '9M' : '9M')
  const thirteenth = find('13') ?? (isDominant ? '13M' : fifth)
  const colour = isDominant || fifth === '5A' ? thirteenth : fifth
  const c = (i: string) => intervalChroma(root, i)
  if (isDim) {
    const tones = intervals.map(c)
    return { a: [tones[1], tones[2], tones[3], c('9M')], b: [tones[3], c('9M'), tones[1], tones[2]] }
  }
  return {
    a: [c(third), c(colour), c(seventh), c(ninth)],
    b: [c(seventh), c(ninth), c(third), c(colour)],
  }
}

/**
 * Everything about a chord symbol (`Dm7`, `G7b9`, `Bb6`, `Eo7`): root, tones, chord scale, rootless voicings.
 * @throws {@link CompositionError} (field `chord`) for a symbol tonal does not know.
 */
export function chordInfo(symbol: string): ChordInfo {
  const hit = chordCache.get(symbol)
  if (hit) return hit
  const chord = Chord.get(symbol)
  if (chord.empty || !chord.tonic) {
    throw new CompositionError('chord', `unknown chord symbol "${symbol}"`, 'a chord symbol tonal understands, e.g. Dm7, G7, Cmaj7, Bb6, F#m7b5')
  }
  const root = chord.tonic
  const rootChroma = chromaOf(root)
  const tones = [...new Set(chord.intervals.map((i) => intervalChroma(root, i)))]
  const names = Chord.chordScales(symbol)
  const scaleName = CHORD_SCALE_PREFERENCE.find((n) => names.includes(n)) ?? names.find((n) => n !== 'chromatic') ?? ''
  const scaleNotes = scaleName ? Scale.get(`${root} ${scaleName}`).notes : []
  const scale = scaleNotes.length ? [...new Set(scaleNotes.map(chromaOf))] : tones.slice()
  const { a, b } = rootlessForms(root, chord.intervals)
  const info: ChordInfo = {
    symbol, root, rootChroma, tones, toneSet: toSet(tones), scale, scaleSet: toSet(scale), scaleName,
    rootlessA: a, rootlessB: b,
  }
  return remember(chordCache, symbol, info)
}

/** Whether tonal understands a chord symbol. */
export function isChordSymbol(symbol: string): boolean {
  const chord = Chord.get(symbol)
  return !chord.empty && !!chord.tonic
}

/** The chromas of `key mode` (e.g. `A aeolian`), tonic first. */
export function scaleChromas(key: string, mode: string): readonly number[] {
  const id = `${key} ${mode}`
  const hit = scaleCache.get(id)
  if (hit) return hit
  return remember(scaleCache, id, Scale.get(id).notes.map(chromaOf))
}

/** One diatonic chord of a mode: its roman numeral and symbol. */
export interface DiatonicChord {
  /** Roman numeral relative to the mode's tonic, e.g. `bVIImaj7`. */
  readonly roman: string
  /** Chord symbol, e.g. `Gmaj7`. */
  readonly symbol: string
  /** Whether the chord is diminished or half-diminished (avoided in slow ambient harmony). */
  readonly diminished: boolean
}

/** The seven diatonic seventh chords of `key mode`, on degrees I–VII, with roman numerals from tonal. */
export function diatonicChords(key: string, mode: string): readonly DiatonicChord[] {
  const id = `${key} ${mode}`
  const hit = diatonicCache.get(id)
  if (hit) return hit
  const symbols = Mode.seventhChords(mode, key).map((s) => s.replace('Maj7', 'maj7'))
  const romans = Progression.toRomanNumerals(key, symbols)
  const chords = symbols.map((symbol, i) => ({
    roman: romans[i],
    symbol,
    diminished: /(m7b5|o7|dim)/.test(symbol),
  }))
  return remember(diatonicCache, id, chords)
}

/** Chord symbols for roman numerals in a key (`['IIm7','V7']` in `C` → `['Dm7','G7']`), memoised. */
export function romanChords(key: string, romans: readonly string[]): readonly string[] {
  const id = `${key}|${romans.join(' ')}`
  const hit = romanCache.get(id)
  if (hit) return hit
  return remember(romanCache, id, Progression.fromRomanNumerals(key, romans as string[]))
}

/** Transposes a chord symbol by semitones, keeping its quality and spelling roots with flats. */
export function transposeChord(symbol: string, semitones: number): string {
  if (semitones % 12 === 0) return symbol
  const [tonic, type] = Chord.tokenize(symbol)
  const root = pitchClassName(chromaOf(tonic) + semitones)
  return `${root}${type}`
}

/** The key root `semitones` above `key`, as a flat-spelled name. */
export function transposeKey(key: string, semitones: number): string {
  return pitchClassName(chromaOf(key) + semitones)
}

/** Semitones from one pitch class up to another, 0–11. */
export function semitonesUp(from: string, to: string): number {
  return (((chromaOf(to) - chromaOf(from)) % 12) + 12) % 12
}

/** The MIDI note with `chroma` nearest to `target`, inside [lo, hi] when possible. */
export function nearestPitch(chroma: number, target: number, lo: number, hi: number): number {
  let best = -1
  let bestDist = Infinity
  for (let n = lo; n <= hi; n++) {
    if (((n % 12) + 12) % 12 !== chroma) continue
    const d = Math.abs(n - target)
    if (d < bestDist) {
      best = n
      bestDist = d
    }
  }
  if (best >= 0) return best
  const base = target - ((((target - chroma) % 12) + 12) % 12)
  return Math.abs(base - target) <= Math.abs(base + 12 - target) ? base : base + 12
}

/** All MIDI notes in [lo, hi] whose chroma is in `set`. */
export function pitchesIn(set: readonly boolean[], lo: number, hi: number): number[] {
  const out: number[] = []
  for (let n = lo; n <= hi; n++) if (set[n % 12]) out.push(n)
  return out
}

/** Interval name for a number of semitones (tonal), e.g. 7 → `5P`. */
export function intervalName(semitones: number): string {
  return Interval.fromSemitones(semitones)
}
