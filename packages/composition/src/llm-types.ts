/**
 * The contract between the composer and an LLM section source (implemented in `./llm/index.ts`).
 * Declared here, apart from either side, so both import it without a cycle.
 */
import type { Chord, NoteEvent } from '@auralis/protocol'

/** What the composer asks an LLM source to write: one jazz section in tracker form. */
export interface LlmSectionRequest {
  /** Tempo in beats per minute. */
  bpm: number
  /** Number of bars in the section. */
  bars: number
  /** Beats per bar (4 for the quartet). */
  beatsPerBar: number
  /** Tracker resolution: 16th-note steps, 4 per beat. */
  stepsPerBeat: 4
  /** Swing ratio applied to off-beat eighths (0.5 = straight, 0.67 = triplet feel). */
  swing: number
  /** Key root, e.g. `Bb`. */
  key: string
  /** Mode name, e.g. `ionian`. */
  mode: string
  /** The chord chart of the section (bar/beat positions relative to the section). */
  chords: Chord[]
  /** Tracker text of the previous section, for continuity (absent for the first). */
  previousTracker?: string
}

/** A source of LLM-written sections. The composer falls back to its own jazz generator when it rejects. */
export interface LlmSectionSource {
  /** Model name (for logs and section metadata; never the key). */
  readonly model: string
  /**
   * Writes one section. Resolves with section-relative, already swung events and the tracker text they
   * came from; rejects on failure after the source's own retries, or when `signal` aborts.
   */
  generate(req: LlmSectionRequest, signal?: AbortSignal): Promise<{ events: NoteEvent[]; tracker: string }>
}
