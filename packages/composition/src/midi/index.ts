/**
 * MIDI export and import: {@link toMidi} writes sections as a Standard MIDI File (type 1), {@link fromMidi}
 * reads one back as note events and a tempo map.
 */
export { toMidi, DRUM_TRACK_NAME, type ToMidiOptions, type MidiSection } from './write.js'
export { fromMidi, type MidiImport, type MidiTimeSignature, type MidiKeySignature } from './read.js'
export { bpmFromMicroseconds, microsecondsPerBeat, type TempoPoint } from './tempo.js'
