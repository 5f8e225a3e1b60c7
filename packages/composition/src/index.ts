/**
 * @packageDocumentation
 * Seeded, deterministic generative music: Markov chords, constraint melodies, a jazz quartet, tracker text, LLM sections, MIDI export.
 */
export {}
