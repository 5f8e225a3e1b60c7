/**
 * Note names (pure).
 */

const SHARPS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']
const FLATS = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B']

/** Scientific pitch name of a MIDI note (60 → `C4`), black keys as sharps or flats. */
export function noteName(midi: number, flats = false): string {
  const n = Math.round(midi)
  return `${(flats ? FLATS : SHARPS)[((n % 12) + 12) % 12]}${Math.floor(n / 12) - 1}`
}
