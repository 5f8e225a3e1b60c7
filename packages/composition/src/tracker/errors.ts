/**
 * Errors and warnings of the tracker reader.
 */

/** Why a tracker text was rejected. */
export type TrackerErrorCode =
  /** No instrument header (BASS, DRUMS, PIANO, SAX…) with at least one step. */
  | 'no-instrument'
  /** An instrument has more or fewer steps than expected (or than the others). */
  | 'step-count'
  /** The text or the notes it makes exceed the protocol's limits. */
  | 'too-large'
  /** An option (bpm, swing, bars, beatsPerBar) is out of range. */
  | 'options'

/** One instrument's step count, as reported by a `step-count` {@link TrackerError}. */
export interface TrackerStepCount {
  /** Instrument header, e.g. `BASS`. */
  readonly instrument: string
  /** 1-based line of its header. */
  readonly line: number
  /** Steps found under it. */
  readonly steps: number
}

/**
 * Thrown by `parseTracker` when the text cannot become a section: no instrument, mismatched step counts, or
 * limits exceeded. `line` (1-based) points at the offending header where there is one.
 */
export class TrackerError extends Error {
  /** What went wrong. */
  readonly code: TrackerErrorCode
  /** 1-based line the error refers to (0 when it is about the whole text). */
  readonly line: number
  /** Steps expected per instrument (when known). */
  readonly expectedSteps: number | undefined
  /** Each instrument's step count (for `step-count`). */
  readonly counts: readonly TrackerStepCount[]

  constructor(code: TrackerErrorCode, message: string, details: { line?: number; expectedSteps?: number; counts?: readonly TrackerStepCount[] } = {}) {
    const line = details.line ?? 0
    super(line > 0 ? `line ${line}: ${message}` : message)
    this.name = 'TrackerError'
    this.code = code
    this.line = line
    this.expectedSteps = details.expectedSteps
    this.counts = details.counts ?? []
  }
}

/** Kinds of problems `parseTracker` tolerates (and reports). */
export type TrackerWarningCode =
  /** A note or line could not be read; the step is kept (as a rest if nothing in it could be read). */
  | 'syntax'
  /** A note outside MIDI 0–127 or outside its instrument's range was skipped. */
  | 'range'
  /** A velocity was clamped to 1–127, or missing and defaulted. */
  | 'velocity'
  /** A drum note the kit has no piece for was skipped. */
  | 'drum'
  /** A tie (`^`) with nothing to hold was read as a rest. */
  | 'tie'
  /** Text outside any instrument section was ignored, or a header repeated. */
  | 'ignored'
  /** Line numbers do not match the step they are on (they are ignored either way). */
  | 'numbering'

/** A tolerated problem, with the 1-based line it is on. */
export interface TrackerWarning {
  /** 1-based line number in the text. */
  readonly line: number
  /** What was done about it, in words. */
  readonly message: string
  /** Kind of problem. */
  readonly code: TrackerWarningCode
}
