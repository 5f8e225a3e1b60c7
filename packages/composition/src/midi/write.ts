/**
 * `toMidi`: sections → a Standard MIDI File (type 1), through `@tonejs/midi`.
 */
import { INSTRUMENTS, INSTRUMENT_IDS, LIMITS, type InstrumentId, type Section } from '@auralis/protocol'
import { Mode, Note } from 'tonal'
import { Midi } from './tonejs.js'
import { microsecondsPerBeat, secondsToTicks, type TempoPoint } from './tempo.js'

/** The parts of a section `toMidi` reads (a whole `Section` will do). */
export type MidiSection = Pick<Section, 'startTime' | 'bpm' | 'bars' | 'beatsPerBar' | 'events'> & {
  /** Key root, for the key signature. */
  key?: string
  /** Mode, for the key signature. */
  mode?: string
}

/** Options of {@link toMidi}. */
export interface ToMidiOptions {
  /** Ticks per quarter note, 24–32767 (default 480). */
  ppq?: number
  /** Name of the file (the conductor track's name; default `Auralis`). */
  name?: string
}

/** Name of the drum track (all drum pieces share it, on channel 10). */
export const DRUM_TRACK_NAME = 'Drums'

/** Key names a MIDI key signature can carry (the circle of fifths from 7 flats to 7 sharps). */
const SIGNATURE_KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#']

interface PendingNote {
  midi: number
  ticks: number
  end: number
  vel: number
}

function fail(message: string): never {
  throw new RangeError(message)
}

function checkSections(sections: readonly MidiSection[]): void {
  if (!Array.isArray(sections) || sections.length === 0) fail('sections must be a non-empty array of sections')
  let last = -Infinity
  sections.forEach((s, i) => {
    if (!s || typeof s !== 'object') fail(`sections[${i}] must be a section`)
    if (!(typeof s.startTime === 'number' && s.startTime >= 0 && Number.isFinite(s.startTime))) fail(`sections[${i}].startTime must be a number ≥ 0`)
    if (s.startTime < last) fail(`sections[${i}].startTime must not be before the previous section's (sections go in time order)`)
    last = s.startTime
    if (!(typeof s.bpm === 'number' && s.bpm >= LIMITS.bpm.min && s.bpm <= LIMITS.bpm.max)) fail(`sections[${i}].bpm must be from ${LIMITS.bpm.min} to ${LIMITS.bpm.max}`)
    if (!(Number.isInteger(s.beatsPerBar) && s.beatsPerBar >= LIMITS.beatsPerBar.min && s.beatsPerBar <= LIMITS.beatsPerBar.max)) {
      fail(`sections[${i}].beatsPerBar must be an integer from ${LIMITS.beatsPerBar.min} to ${LIMITS.beatsPerBar.max}`)
    }
    if (!Array.isArray(s.events)) fail(`sections[${i}].events must be an array`)
  })
}

/** The tonejs key-signature fields for a key and mode, or undefined when MIDI cannot say it. */
function keySignature(key: string, mode: string): { key: string; scale: 'major' | 'minor'; sf: number } | undefined {
  const tonic = Mode.relativeTonic('ionian', mode, key)
  if (!tonic) return undefined
  const name = SIGNATURE_KEYS.includes(tonic) ? tonic : Note.enharmonic(tonic)
  if (!SIGNATURE_KEYS.includes(name)) return undefined
  return { key: name, scale: mode === 'aeolian' ? 'minor' : 'major', sf: SIGNATURE_KEYS.indexOf(name) - 7 }
}

/** Reads a MIDI variable-length quantity at `at`; returns the value and the offset after it. */
function readVlq(bytes: Uint8Array, at: number): [number, number] {
  let value = 0
  let b: number
  do {
    b = bytes[at++]
    value = (value << 7) | (b & 0x7f)
  } while (b & 0x80)
  return [value, at]
}

/**
 * Writes the key-signature bytes (`FF 59 02 sf mi`) of the conductor track. @tonejs/midi 2.0.28 adds 7 to the
 * sharps/flats count twice when it encodes, so its values are replaced with the right ones, in order.
 */
function patchKeySignatures(bytes: Uint8Array, sigs: readonly { sf: number; scale: 'major' | 'minor' }[]): void {
  let at = 14 // after MThd
  if (String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]) !== 'MTrk') return
  const end = at + 8 + ((bytes[at + 4] << 24) | (bytes[at + 5] << 16) | (bytes[at + 6] << 8) | bytes[at + 7])
  at += 8
  let k = 0
  while (at < end && k < sigs.length) {
    at = readVlq(bytes, at)[1]
    if (bytes[at] !== 0xff) return // the conductor track holds only meta events
    const type = bytes[at + 1]
    const [length, data] = readVlq(bytes, at + 2)
    if (type === 0x59 && length === 2) {
      bytes[data] = sigs[k].sf & 0xff
      bytes[data + 1] = sigs[k].scale === 'minor' ? 1 : 0
      k++
    }
    at = data + length
  }
}

/**
 * Writes sections as a Standard MIDI File, type 1, and returns its bytes.
 *
 * - Time starts at the first section's `startTime` (tick 0). Each section starts at the tick its start time
 *   reaches through the tempo map so far, so a stream whose tempo changes keeps every bar line on a whole
 *   beat: ticks come from beats at each section's own tempo, never from seconds at one tempo.
 * - Track 0 (the conductor) holds the file name, a set-tempo event wherever the tempo changes, a time
 *   signature (`beatsPerBar`/4) and, when sections carry key and mode, a key signature (the mode's relative
 *   major, or minor for aeolian) wherever they change.
 * - Then one track per melodic instrument that plays, in the instrument table's order, named after it, on
 *   its channel with its General MIDI program; then one `Drums` track on channel 10 (9 from 0) for all drum
 *   pieces, at their GM percussion keys.
 * - Swing is in the notes' times, so it is kept: a swung eighth at 0.67 of a beat sits at tick 0.67 × ppq.
 * - Velocities are written exactly; a note struck again while still sounding in the same track is ended
 *   where the new one starts (MIDI cannot overlap a key with itself).
 *
 * MIDI stores tempo in whole microseconds per beat, so 70 bpm is written as 857143 µs; {@link fromMidi}
 * reads that back as 70.
 *
 * @throws RangeError for no sections, sections out of time order, or an option out of range.
 */
export function toMidi(sections: readonly MidiSection[], options: ToMidiOptions = {}): Uint8Array {
  const ppq = options.ppq ?? 480
  if (!Number.isInteger(ppq) || ppq < 24 || ppq > 32767) fail(`ppq must be an integer from 24 to 32767 (got ${String(options.ppq)})`)
  checkSections(sections)

  // Tempo map anchored at every section start (nominal bpm; section starts rounded to whole ticks).
  const origin = sections[0].startTime
  const points: TempoPoint[] = []
  const startTicks: number[] = []
  for (const s of sections) {
    const time = s.startTime - origin
    const ticks = points.length === 0 ? 0 : Math.round(secondsToTicks(points, ppq, time))
    if (points.length > 0 && points[points.length - 1].time === time) points.pop() // an empty section: the later one rules
    points.push({ ticks, time, bpm: s.bpm })
    startTicks.push(ticks)
  }

  const tempos: { ticks: number; bpm: number }[] = []
  const timeSignatures: { ticks: number; timeSignature: number[] }[] = []
  const keySignatures: { ticks: number; key: string; scale: 'major' | 'minor'; sf: number }[] = []
  let lastUs = -1
  let lastMeter = -1
  let lastKey = ''
  sections.forEach((s, i) => {
    const ticks = startTicks[i]
    const us = microsecondsPerBeat(s.bpm)
    // tonejs writes floor(60e6 / bpm): hand it a bpm that floors to exactly `us`.
    if (us !== lastUs) tempos.push({ ticks, bpm: 60_000_000 / (us + 0.5) })
    lastUs = us
    if (s.beatsPerBar !== lastMeter) timeSignatures.push({ ticks, timeSignature: [s.beatsPerBar, 4] })
    lastMeter = s.beatsPerBar
    if (s.key && s.mode) {
      const sig = keySignature(s.key, s.mode)
      const id = sig ? `${sig.key} ${sig.scale}` : ''
      if (sig && id !== lastKey) keySignatures.push({ ticks, ...sig })
      if (sig) lastKey = id
    }
  })
  const midi = new Midi()
  midi.header.fromJSON({
    name: options.name ?? 'Auralis',
    ppq,
    meta: [],
    tempos,
    timeSignatures,
    keySignatures: keySignatures.map(({ ticks, key, scale }) => ({ ticks, key, scale })),
  })

  // Notes, per track.
  const perTrack = new Map<InstrumentId | 'drums', PendingNote[]>()
  sections.forEach((s, i) => {
    const start = startTicks[i]
    const sectionTime = s.startTime - origin
    const perBeat = (s.bpm * ppq) / 60
    for (const e of s.events) {
      const inst = INSTRUMENTS[e.inst]
      if (!inst) fail(`sections[${i}] has an event with unknown instrument "${String(e.inst)}"`)
      const ticks = start + Math.round(e.t * perBeat)
      const end = Math.max(ticks + 1, Math.round(secondsToTicks(points, ppq, sectionTime + e.t + e.d)))
      const key = inst.drum ? 'drums' : inst.id
      let list = perTrack.get(key)
      if (!list) perTrack.set(key, (list = []))
      const vel = Math.min(127, Math.max(1, Math.round(e.vel)))
      list.push({ midi: inst.drum ? inst.drumNote! : e.note, ticks, end, vel })
    }
  })

  const order: (InstrumentId | 'drums')[] = [...INSTRUMENT_IDS.filter((id) => !INSTRUMENTS[id].drum), 'drums']
  for (const key of order) {
    const notes = perTrack.get(key)
    if (!notes) continue
    const track = midi.addTrack()
    if (key === 'drums') {
      track.name = DRUM_TRACK_NAME
      track.channel = 9
      track.instrument.number = 0
    } else {
      track.name = INSTRUMENTS[key].name
      track.channel = INSTRUMENTS[key].channel
      track.instrument.number = INSTRUMENTS[key].program
    }
    for (const n of separateRepeats(notes)) {
      // tonejs writes floor(velocity × 127): nudge by half a step so the integer survives.
      track.addNote({ midi: n.midi, ticks: n.ticks, durationTicks: n.end - n.ticks, velocity: n.vel === 127 ? 1 : (n.vel + 0.5) / 127 })
    }
  }
  const bytes = midi.toArray()
  patchKeySignatures(bytes, keySignatures)
  return bytes
}

/** Sorts notes and ends any note where the same key is struck again (merging notes struck on the same tick). */
function separateRepeats(notes: PendingNote[]): PendingNote[] {
  notes.sort((a, b) => a.ticks - b.ticks || a.midi - b.midi)
  const out: PendingNote[] = []
  const sounding = new Map<number, PendingNote>()
  for (const n of notes) {
    const prev = sounding.get(n.midi)
    if (prev && prev.ticks === n.ticks) {
      prev.end = Math.max(prev.end, n.end)
      prev.vel = Math.max(prev.vel, n.vel)
      continue
    }
    if (prev && prev.end > n.ticks) prev.end = n.ticks
    const copy = { ...n }
    sounding.set(n.midi, copy)
    out.push(copy)
  }
  return out
}
