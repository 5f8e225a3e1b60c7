/**
 * Test fixtures (not part of the public API): valid sections and hello messages built through the
 * protocol's schemas, so a fixture that breaks the contract fails loudly.
 */
import { SectionSchema, type NoteEvent, type Section } from '@auralis/protocol'

/** Builds a valid section (2 bars of 4/4 at 120 bpm = 4 s unless overridden) and validates it. */
export function makeSection(over: Partial<Section> & { index: number; events?: NoteEvent[] }): Section {
  const bars = over.bars ?? 2
  const base: Section = {
    index: over.index,
    startTime: over.startTime ?? over.index * 4,
    bar: over.bar ?? over.index * bars,
    bpm: 120,
    bars,
    beatsPerBar: 4,
    key: 'C',
    mode: 'dorian',
    style: 'ambient',
    intensity: 0.5,
    swing: 0.5,
    chords: [{ bar: 0, beat: 0, symbol: 'Cm7' }, { bar: 1, beat: 0, symbol: 'F7' }],
    events: [],
    source: 'algorithmic',
  }
  return SectionSchema.parse({ ...base, ...over }) as Section
}
