/**
 * `fromMidi`: a Standard MIDI File → note events in seconds, with its tempo map.
 */
import { INSTRUMENTS, INSTRUMENT_IDS, type InstrumentId, type NoteEvent } from '@auralis/protocol'
import { compareEvents } from '../tracker/parse.js'
import { drumForNote } from '../tracker/instruments.js'
import { Midi, type MidiFile } from './tonejs.js'
import { bpmFromMicroseconds, microsecondsPerBeat, ticksToSeconds, type TempoPoint } from './tempo.js'

/** A time signature read from a file. */
export interface MidiTimeSignature {
  /** Tick where it takes effect. */
  readonly ticks: number
  /** Seconds where it takes effect. */
  readonly time: number
  /** Beats per bar (the numerator). */
  readonly beatsPerBar: number
  /** Beat unit (the denominator: 4 for quarter notes). */
  readonly beatUnit: number
}

/** A key signature read from a file. */
export interface MidiKeySignature {
  /** Tick where it takes effect. */
  readonly ticks: number
  /** Seconds where it takes effect. */
  readonly time: number
  /** The major key of the signature (e.g. `Bb`; for a minor signature, its relative major). */
  readonly key: string
  /** Whether the file marks it major or minor. */
  readonly scale: 'major' | 'minor'
}

/** What {@link fromMidi} reads. */
export interface MidiImport {
  /** Ticks per quarter note. */
  readonly ppq: number
  /** The file's name (conductor track name), or an empty string. */
  readonly name: string
  /** The tempo map: where each tempo starts, in ticks and seconds, and its bpm (see `bpmFromMicroseconds`). */
  readonly tempos: readonly TempoPoint[]
  /** Time signatures, in order. */
  readonly timeSignatures: readonly MidiTimeSignature[]
  /** Key signatures, in order. */
  readonly keySignatures: readonly MidiKeySignature[]
  /**
   * Every note, as note events whose `t` is seconds from the start of the file (not section-relative), sorted
   * by time, then instrument, then note.
   */
  readonly events: NoteEvent[]
  /** Seconds from the start of the file to the end of the last note. */
  readonly duration: number
  /** Notes skipped or tracks guessed, in words. */
  readonly warnings: string[]
}

const MELODIC_BY_PROGRAM = new Map<number, InstrumentId>(
  INSTRUMENT_IDS.filter((id) => !INSTRUMENTS[id].drum).map((id) => [INSTRUMENTS[id].program, id]),
)

function melodicInstrument(track: MidiFile['tracks'][number]): InstrumentId | undefined {
  const byProgram = MELODIC_BY_PROGRAM.get(track.instrument.number)
  if (byProgram) return byProgram
  const name = track.name.trim().toLowerCase()
  return INSTRUMENT_IDS.find((id) => !INSTRUMENTS[id].drum && (id === name || INSTRUMENTS[id].name.toLowerCase() === name))
}

/**
 * Reads a Standard MIDI File (type 0 or 1) into note events and its tempo map — the inverse of
 * {@link toMidi}.
 *
 * Events come back in absolute seconds from the start of the file (one flat list, not sections: a file made by
 * `toMidi` starts at its first section's start). Instruments are recovered from the tracks: channel 10 notes
 * by the drum map (GM kick, snare, hats, ride, clap, crash and their neighbours), other tracks by General MIDI
 * program (Auralis's table), then by track name; anything else is read as piano, with a warning. Tempos are
 * read as the plainest bpm their microseconds stand for (857143 µs → 70), so a file from `toMidi` gives back
 * the sections' times to within a tick.
 *
 * @throws the parser's error when the bytes are not a MIDI file.
 */
export function fromMidi(bytes: Uint8Array | ArrayBuffer): MidiImport {
  const midi = new Midi(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
  const ppq = midi.header.ppq
  const warnings: string[] = []

  const points: TempoPoint[] = []
  const tempos = midi.header.tempos.length > 0 ? midi.header.tempos : [{ ticks: 0, bpm: 120 }]
  for (const t of tempos) {
    const bpm = bpmFromMicroseconds(microsecondsPerBeat(t.bpm))
    const ticks = t.ticks
    if (points.length === 0 && ticks > 0) points.push({ ticks: 0, time: 0, bpm: 120 })
    const time = points.length === 0 ? 0 : ticksToSeconds(points, ppq, ticks)
    if (points.length > 0 && points[points.length - 1].ticks === ticks) points.pop()
    points.push({ ticks, time, bpm })
  }
  const seconds = (ticks: number): number => ticksToSeconds(points, ppq, ticks)

  const events: NoteEvent[] = []
  let duration = 0
  midi.tracks.forEach((track, i) => {
    if (track.notes.length === 0) return
    const label = track.name ? `track ${i + 1} (${track.name})` : `track ${i + 1}`
    let melodic: InstrumentId | undefined
    if (track.channel !== 9) {
      melodic = melodicInstrument(track)
      if (!melodic) {
        melodic = 'piano'
        warnings.push(`${label}: program ${track.instrument.number} is not in the instrument table; read as piano`)
      }
    }
    let skipped = 0
    for (const n of track.notes) {
      const inst = melodic ?? drumForNote(n.midi)
      if (!inst) {
        skipped++
        continue
      }
      const t = seconds(n.ticks)
      const end = seconds(n.ticks + Math.max(1, n.durationTicks))
      duration = Math.max(duration, end)
      const vel = Math.min(127, Math.max(1, Math.round(n.velocity * 127)))
      events.push({ t, d: end - t, inst, note: melodic ? n.midi : INSTRUMENTS[inst].drumNote!, vel })
    }
    if (skipped > 0) warnings.push(`${label}: ${skipped} drum note(s) not in the drum map were skipped`)
  })
  events.sort(compareEvents)

  return {
    ppq,
    name: midi.header.name ?? '',
    tempos: points,
    timeSignatures: midi.header.timeSignatures.map((ts) => ({
      ticks: ts.ticks,
      time: seconds(ts.ticks),
      beatsPerBar: ts.timeSignature[0],
      beatUnit: ts.timeSignature[1],
    })),
    keySignatures: midi.header.keySignatures.map((ks) => ({
      ticks: ks.ticks,
      time: seconds(ks.ticks),
      key: ks.key,
      scale: ks.scale === 'minor' ? 'minor' : 'major',
    })),
    events,
    duration,
    warnings,
  }
}
