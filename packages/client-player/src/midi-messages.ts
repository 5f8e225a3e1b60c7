/**
 * MIDI 1.0 channel messages as bytes, and the messages for one note (pure).
 */
import { INSTRUMENTS, type InstrumentId } from '@auralis/protocol'

/** One MIDI message to send at a performance-clock timestamp (ms). */
export interface TimedMidiMessage {
  /** Message bytes. */
  readonly data: readonly number[]
  /** `performance.now()` time at which to send it. */
  readonly timestamp: number
}

function check(name: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${name} must be an integer 0–${max}, got ${v}`)
  return v
}

/** Program change: `0xC0 | channel, program` (channel and program 0-based). */
export function programChange(channel: number, program: number): number[] {
  return [0xc0 | check('channel', channel, 15), check('program', program, 127)]
}

/** Note on: `0x90 | channel, key, velocity` (velocity 1–127; 0 would mean note off). */
export function noteOn(channel: number, key: number, velocity: number): number[] {
  if (velocity === 0) throw new RangeError('velocity must be 1–127 for a note on')
  return [0x90 | check('channel', channel, 15), check('key', key, 127), check('velocity', velocity, 127)]
}

/** Note off: `0x80 | channel, key, release velocity` (64 unless given). */
export function noteOff(channel: number, key: number, release = 64): number[] {
  return [0x80 | check('channel', channel, 15), check('key', key, 127), check('release velocity', release, 127)]
}

/** Control change: `0xB0 | channel, controller, value`. */
export function controlChange(channel: number, controller: number, value: number): number[] {
  return [0xb0 | check('channel', channel, 15), check('controller', controller, 127), check('value', value, 127)]
}

/** All Notes Off (CC 123) on a channel. */
export function allNotesOff(channel: number): number[] {
  return controlChange(channel, 123, 0)
}

/** The MIDI key an instrument plays for a note: drum pieces always sound their General MIDI drum key. */
export function midiKeyFor(inst: InstrumentId, note: number): number {
  return INSTRUMENTS[inst].drumNote ?? note
}

/** Program changes for every melodic channel of the instrument table (drums, channel 10, have none). */
export function programChanges(timestamp?: number): TimedMidiMessage[] {
  const seen = new Set<number>()
  const out: TimedMidiMessage[] = []
  for (const inst of Object.values(INSTRUMENTS)) {
    if (inst.drum || seen.has(inst.channel)) continue
    seen.add(inst.channel)
    out.push({ data: programChange(inst.channel, inst.program), timestamp: timestamp ?? 0 })
  }
  return out
}

/** The note-on and note-off of one note on its instrument's channel, at `timestamp` and `timestamp + d·1000`. */
export function noteMessages(n: { inst: InstrumentId; note: number; vel: number; d: number; timestamp: number }): [TimedMidiMessage, TimedMidiMessage] {
  const { channel } = INSTRUMENTS[n.inst]
  const key = midiKeyFor(n.inst, n.note)
  return [
    { data: noteOn(channel, key, n.vel), timestamp: n.timestamp },
    { data: noteOff(channel, key), timestamp: n.timestamp + n.d * 1000 },
  ]
}
