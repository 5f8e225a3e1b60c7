/**
 * Loads `@tonejs/midi`'s `Midi` class whichever way the package is resolved: as CommonJS from Node ESM (where
 * it arrives as the default export) or as its ESM-flavoured build through a bundler (named export).
 */
import * as tonejsMidi from '@tonejs/midi'

type MidiClass = typeof tonejsMidi.Midi

const ns = tonejsMidi as unknown as { Midi?: MidiClass; default?: { Midi?: MidiClass } }

/** The `Midi` class of `@tonejs/midi`. */
export const Midi: MidiClass = (ns.Midi ?? ns.default?.Midi) as MidiClass

/** A parsed or new MIDI file (`@tonejs/midi`'s `Midi`). */
export type MidiFile = InstanceType<MidiClass>
