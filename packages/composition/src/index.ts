/**
 * @packageDocumentation
 * Seeded, deterministic generative music: Markov chords, constraint melodies, a jazz quartet, tracker text,
 * LLM sections, MIDI export.
 */
export {
  createComposer, restoreComposer, COMPOSER_CHOICES,
  type Composer, type ComposerOptions, type ComposerSnapshot, type ControlsApplied,
} from './composer.js'
export { CompositionError } from './errors.js'
export { ALLOWED, validateChange, type ControlChange } from './options.js'
export { Rng, createRng, type RngState } from './rng.js'
export { swingBeat, roundTime, secondsPerBeat } from './timing.js'
export { chordSpans, chordAt, noteAt, totalBeats, sortEvents, type ChordSpan, type GenContext } from './context.js'
export {
  chordInfo, isChordSymbol, scaleChromas, diatonicChords, romanChords, transposeChord, transposeKey, pitchClassName,
  chromaOf, nearestPitch, type ChordInfo, type DiatonicChord,
} from './theory.js'
export { voicingCandidates, voiceLead, motion } from './voicing.js'
export type { LlmSectionRequest, LlmSectionSource } from './llm-types.js'

// Ambient
export {
  markovChords, DEFAULT_TRANSITIONS, transitionTableProblem,
  type TransitionTable, type MarkovState, type MarkovContext, type MarkovResult,
} from './ambient/chords.js'
export { ambientPads, lastPadVoicing, type PadContext } from './ambient/pads.js'
export { ambientMelody, isStrongBeat, type MelodyContext } from './ambient/melody.js'
export { ambientBass, type AmbientBassContext } from './ambient/bass.js'
export { ambientPercussion } from './ambient/percussion.js'
export { composeAmbient, initialAmbientState, type AmbientState, type AmbientSettings } from './ambient/index.js'

// Jazz
export { walkingBass, walkingBassLine, WALK_LOW, WALK_HIGH, type WalkingBassContext, type WalkingBassLine } from './jazz/bass.js'
export { jazzDrums, type DrumContext } from './jazz/drums.js'
export { jazzComping, lastPianoVoicing, COMP_LOW, COMP_HIGH, type CompingContext } from './jazz/piano.js'
export { saxPhrase, saxLine, initialSaxState, SAX_LOW, SAX_HIGH, type SaxContext, type SaxState, type Motif } from './jazz/sax.js'
export { FORMS, formBar, formLength, parseChart, placeBar, isMinorMode, type FormName, type ChartBars } from './jazz/forms.js'
export {
  composeJazz, initialJazzState, jazzBar, jazzChords, phraseLength, type JazzState, type JazzSettings,
} from './jazz/index.js'

// Tracker text, MIDI and LLM sections
export * from './tracker/index.js'
export * from './midi/index.js'
export * from './llm/index.js'
