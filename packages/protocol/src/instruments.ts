/**
 * The shared instrument table: one row per instrument id, used by composition, synth-core,
 * client-player and MIDI export alike.
 */

/** Every instrument id Auralis knows, melodic first, then the drum kit. */
export const INSTRUMENT_IDS = [
  'pad', 'lead', 'bass', 'keys', 'piano', 'sax', 'pluck', 'bell',
  'kick', 'snare', 'hat', 'openhat', 'ride', 'clap', 'swell',
] as const

/** An instrument id from {@link INSTRUMENT_IDS}. */
export type InstrumentId = (typeof INSTRUMENT_IDS)[number]

/** One row of the instrument table. */
export interface Instrument {
  /** Stable id used in note events. */
  readonly id: InstrumentId
  /** Human-readable name (also the MIDI track name). */
  readonly name: string
  /** General MIDI program number, 0-based (0 = Acoustic Grand Piano). Ignored for drums. */
  readonly program: number
  /** MIDI channel, 0-based: drums use 9 (channel 10 in 1-based terms). */
  readonly channel: number
  /** Lowest and highest MIDI note the instrument plays, inclusive. */
  readonly range: readonly [low: number, high: number]
  /** For drum instruments: the General MIDI percussion key the instrument sounds as. */
  readonly drumNote?: number
  /** Whether this is a drum-kit piece (channel 10, fixed note). */
  readonly drum: boolean
}

const melodic = (id: InstrumentId, name: string, program: number, channel: number, low: number, high: number): Instrument =>
  Object.freeze({ id, name, program, channel, range: Object.freeze([low, high] as const), drum: false })

const drum = (id: InstrumentId, name: string, key: number): Instrument =>
  Object.freeze({ id, name, program: 0, channel: 9, range: Object.freeze([key, key] as const), drumNote: key, drum: true })

/** The instrument table, keyed by id. Deeply frozen: treat it as data. */
export const INSTRUMENTS: Readonly<Record<InstrumentId, Instrument>> = Object.freeze({
  pad: melodic('pad', 'Warm Pad', 89, 0, 36, 84),
  lead: melodic('lead', 'Lead', 81, 1, 55, 96),
  bass: melodic('bass', 'Bass', 32, 2, 24, 55),
  keys: melodic('keys', 'Electric Piano', 4, 3, 40, 88),
  piano: melodic('piano', 'Piano', 0, 4, 21, 108),
  sax: melodic('sax', 'Tenor Sax', 66, 5, 52, 84),
  pluck: melodic('pluck', 'Pluck', 45, 6, 48, 96),
  bell: melodic('bell', 'Bell', 14, 7, 60, 108),
  kick: drum('kick', 'Kick', 36),
  snare: drum('snare', 'Snare', 38),
  hat: drum('hat', 'Closed Hat', 42),
  openhat: drum('openhat', 'Open Hat', 46),
  ride: drum('ride', 'Ride', 51),
  clap: drum('clap', 'Clap', 39),
  swell: drum('swell', 'Cymbal Swell', 49),
})

/** Looks up an instrument by id; throws a `RangeError` for an unknown id. */
export function getInstrument(id: string): Instrument {
  if (!isInstrumentId(id)) throw new RangeError(`unknown instrument id "${id}" (expected one of ${INSTRUMENT_IDS.join(', ')})`)
  return INSTRUMENTS[id]
}

/** Whether `id` is a known instrument id. */
export function isInstrumentId(id: unknown): id is InstrumentId {
  return typeof id === 'string' && Object.prototype.hasOwnProperty.call(INSTRUMENTS, id)
}
