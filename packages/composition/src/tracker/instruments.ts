/**
 * Which tracker column each instrument plays in, and the drum map.
 */
import { INSTRUMENTS, type InstrumentId } from '@auralis/protocol'

/**
 * Instrument headers of tracker text. `BASS`, `DRUMS`, `PIANO` and `SAX` are the Infinite Jazz quartet; `PAD`,
 * `LEAD`, `KEYS`, `PLUCK` and `BELL` are an Auralis extension so any section (ambient ones too) can be written
 * as tracker text.
 */
export const TRACKER_HEADERS = ['BASS', 'DRUMS', 'PIANO', 'SAX', 'PAD', 'LEAD', 'KEYS', 'PLUCK', 'BELL'] as const

/** A tracker instrument header. */
export type TrackerHeader = (typeof TRACKER_HEADERS)[number]

/** The four headers Infinite Jazz writes, always rendered by `toTracker`. */
export const QUARTET_HEADERS: readonly TrackerHeader[] = ['BASS', 'DRUMS', 'PIANO', 'SAX']

/** Melodic instrument of each header (`DRUMS` maps per note, see {@link DRUM_MAP}). */
export const HEADER_INSTRUMENT: Readonly<Record<Exclude<TrackerHeader, 'DRUMS'>, InstrumentId>> = Object.freeze({
  BASS: 'bass',
  PIANO: 'piano',
  SAX: 'sax',
  PAD: 'pad',
  LEAD: 'lead',
  KEYS: 'keys',
  PLUCK: 'pluck',
  BELL: 'bell',
})

/** Other spellings accepted for a header (case-insensitive). */
const HEADER_ALIASES: Readonly<Record<string, TrackerHeader>> = Object.freeze({
  DRUM: 'DRUMS',
  SAXOPHONE: 'SAX',
  'TENOR SAX': 'SAX',
  'UPRIGHT BASS': 'BASS',
  'DOUBLE BASS': 'BASS',
})

/**
 * The drum map: General MIDI percussion key → drum instrument, as Infinite Jazz writes it (C2 kick, D2 snare,
 * F♯2 closed hat, B♭2 open hat, E♭3 ride), plus clap (E♭2) and crash/swell (C♯3).
 */
export const DRUM_MAP: Readonly<Record<number, InstrumentId>> = Object.freeze({
  36: 'kick',
  38: 'snare',
  42: 'hat',
  46: 'openhat',
  51: 'ride',
  39: 'clap',
  49: 'swell',
})

/** Neighbouring GM keys read as the nearest piece of the kit (e.g. 35 acoustic bass drum → kick). */
export const DRUM_ALIASES: Readonly<Record<number, InstrumentId>> = Object.freeze({
  35: 'kick',
  37: 'snare', // side stick
  40: 'snare', // electric snare
  44: 'hat', // pedal hi-hat
  53: 'ride', // ride bell
  59: 'ride', // ride 2
  57: 'swell', // crash 2
})

/** How the tracker spells each drum key (the drum map's own spelling). */
export const DRUM_NAMES: Readonly<Record<number, string>> = Object.freeze({
  36: 'C2',
  38: 'D2',
  39: 'Eb2',
  42: 'F#2',
  46: 'Bb2',
  49: 'C#3',
  51: 'Eb3',
})

/** The drum instrument a GM percussion key plays, or `undefined` when the kit has no such piece. */
export function drumForNote(note: number): InstrumentId | undefined {
  return DRUM_MAP[note] ?? DRUM_ALIASES[note]
}

/** The tracker header an instrument is written under. */
export function headerForInstrument(id: InstrumentId): TrackerHeader {
  if (INSTRUMENTS[id].drum) return 'DRUMS'
  return (Object.keys(HEADER_INSTRUMENT) as (keyof typeof HEADER_INSTRUMENT)[]).find((h) => HEADER_INSTRUMENT[h] === id)!
}

/**
 * Reads a line as an instrument header, tolerating Markdown decoration and case: `BASS`, `bass:`, `## Bass`,
 * `**DRUMS**`, `SAX (tenor)`. Returns `undefined` for anything else.
 */
export function readHeader(line: string): TrackerHeader | undefined {
  const m = /^[#*>_\s-]*([A-Za-z][A-Za-z ]*?)[*_\s]*(?:\([^)]*\))?[\s:*_]*$/.exec(line)
  if (!m) return undefined
  const name = m[1].trim().toUpperCase().replace(/\s+/g, ' ')
  if ((TRACKER_HEADERS as readonly string[]).includes(name)) return name as TrackerHeader
  return HEADER_ALIASES[name]
}
