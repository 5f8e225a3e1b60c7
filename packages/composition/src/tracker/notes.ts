/**
 * Note names in tracker text: tolerant reading (unicode accidentals, lowercase, stray spaces) and spelling.
 * Name ↔ MIDI conversion is tonal's (`C4` = 60).
 */
import { Note, Scale } from 'tonal'

/** Result of reading a note name. */
export type ReadNote =
  | { readonly ok: true; readonly midi: number }
  | { readonly ok: false; readonly reason: 'syntax' | 'octave' | 'range'; readonly message: string }

/**
 * Normalises unicode in a line of tracker text: NFKC (full-width forms), ♯/♭/𝄪/𝄫 to `#`/`b`/`##`/`bb`, unicode
 * minus and dashes to `-`, and drops zero-width characters.
 */
export function normalizeText(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/♯/g, '#')
    .replace(/♭/g, 'b')
    .replace(/𝄪/g, '##')
    .replace(/𝄫/g, 'bb')
    .replace(/[\u2212\u2010\u2011\u2012\u2013]/g, '-')
}

/**
 * Reads a note name such as `C4`, `c#4`, `Bb2`, `BB2`, `Cb4` (= B3), `B#3` (= C4), `F##3`, `E-1` into a MIDI
 * number. Out-of-range names (below C-1 or above G9) are reported with `reason: 'range'`.
 */
export function readNoteName(raw: string): ReadNote {
  const m = /^([A-Ga-g])([#bBx]*)\s*(-?\d+)?$/.exec(raw.trim())
  if (!m) return { ok: false, reason: 'syntax', message: `"${raw}" is not a note name (expected e.g. C4, F#2, Bb3)` }
  const [, letter, acc, octave] = m
  if (octave === undefined) return { ok: false, reason: 'octave', message: `note "${raw}" has no octave (expected e.g. ${letter.toUpperCase()}4)` }
  const name = letter.toUpperCase() + acc.replace(/B/g, 'b') + octave
  const info = Note.get(name)
  if (info.empty || typeof info.height !== 'number') return { ok: false, reason: 'syntax', message: `"${raw}" is not a note name` }
  if (info.midi === null || info.midi === undefined || info.height < 0 || info.height > 127) {
    return { ok: false, reason: 'range', message: `note ${name} (${info.height}) is outside MIDI 0–127` }
  }
  return { ok: true, midi: info.midi }
}

/** Whether a key/mode is written with flats (F major, D minor, B♭ dorian…) rather than sharps. */
export function prefersFlats(key: string | undefined, mode: string | undefined): boolean {
  if (!key) return false
  const notes = Scale.get(`${key} ${mode ?? 'ionian'}`).notes
  if (notes.length === 0) return key.includes('b') && key.length > 1
  return notes.some((n) => n.length > 1 && n.includes('b'))
}

/** Spells a MIDI note for tracker text: `C4`, `F#2` or `Gb2` depending on `flats`. */
export function spellNote(midi: number, flats: boolean): string {
  return flats ? Note.fromMidi(midi) : Note.fromMidiSharps(midi)
}
