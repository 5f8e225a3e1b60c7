/**
 * Turns renderer input (sections or bare note events) into frames: notes with a start frame and a gate
 * length, and tempo changes (for the tempo-synced delay).
 */
import { isInstrumentId, sectionDuration, type InstrumentId, type NoteEvent, type Section } from '@auralis/protocol'

/** What the renderers accept: sections (placed at their `startTime`), one section, or bare note events. */
export type RenderInput = readonly Section[] | Section | readonly NoteEvent[]

/** A note placed in frames. */
export interface TimedNote {
  /** Start frame from the render's origin. */
  readonly frame: number
  readonly inst: InstrumentId
  readonly note: number
  readonly vel: number
  /** Held length in frames (≥ 1). */
  readonly gate: number
}

/** A tempo change at a frame. */
export interface TempoChange {
  readonly frame: number
  readonly bpm: number
}

/** Input converted to frames. */
export interface Timeline {
  readonly notes: TimedNote[]
  readonly tempos: TempoChange[]
  /** End of the last section (frames from the origin), or 0 for bare events. */
  readonly sectionsEnd: number
}

/** Whether the input is a list of sections (or one section) rather than note events. */
export function isSectionInput(input: RenderInput): input is readonly Section[] | Section {
  if (!Array.isArray(input)) return typeof input === 'object' && input !== null && 'events' in input
  return input.length > 0 && typeof input[0] === 'object' && input[0] !== null && 'events' in input[0]
}

/** The sections of an input, as a list. */
export function sectionList(input: readonly Section[] | Section): readonly Section[] {
  return Array.isArray(input) ? (input as readonly Section[]) : [input as Section]
}

function checkEvent(e: NoteEvent, where: string): void {
  if (typeof e !== 'object' || e === null) throw new TypeError(`${where}: expected a note event object`)
  if (!isInstrumentId(e.inst)) throw new RangeError(`${where}: unknown instrument "${String(e.inst)}"`)
  if (!Number.isFinite(e.t) || e.t < 0) throw new RangeError(`${where}: t must be a finite number ≥ 0 (got ${e.t})`)
  if (!Number.isFinite(e.d) || e.d <= 0) throw new RangeError(`${where}: d must be a finite number > 0 (got ${e.d})`)
  if (!Number.isInteger(e.note) || e.note < 0 || e.note > 127) throw new RangeError(`${where}: note must be an integer 0–127 (got ${e.note})`)
  if (!Number.isFinite(e.vel) || e.vel < 1 || e.vel > 127) throw new RangeError(`${where}: vel must be 1–127 (got ${e.vel})`)
}

function place(e: NoteEvent, offsetSeconds: number, sampleRate: number): TimedNote {
  const frame = Math.round((offsetSeconds + e.t) * sampleRate)
  return { frame, inst: e.inst, note: e.note, vel: Math.round(e.vel), gate: Math.max(1, Math.round(e.d * sampleRate)) }
}

/**
 * Converts input to a timeline. Sections are placed at `startTime − origin` (origin defaults to the earliest
 * section's startTime); bare events at `offset + t` (offset defaults to 0). Tempo changes come from the
 * sections' bpm; bare events get no tempo change.
 */
export function toTimeline(
  input: RenderInput,
  sampleRate: number,
  options: { origin?: number; offset?: number } = {},
): Timeline {
  const notes: TimedNote[] = []
  const tempos: TempoChange[] = []
  let sectionsEnd = 0
  if (isSectionInput(input)) {
    const sections = sectionList(input)
    if (sections.length === 0) return { notes, tempos, sectionsEnd }
    const origin = options.origin ?? Math.min(...sections.map((s) => s.startTime))
    sections.forEach((s, si) => {
      if (!Number.isFinite(s.startTime)) throw new RangeError(`section ${si}: startTime must be a finite number`)
      const offset = s.startTime - origin
      if (offset < -1e-9) throw new RangeError(`section ${si}: startTime ${s.startTime} is before the origin ${origin}`)
      if (Number.isFinite(s.bpm) && s.bpm > 0) tempos.push({ frame: Math.max(0, Math.round(offset * sampleRate)), bpm: s.bpm })
      if (!Array.isArray(s.events)) throw new TypeError(`section ${si}: events must be an array`)
      s.events.forEach((e, ei) => {
        checkEvent(e, `section ${si} event ${ei}`)
        notes.push(place(e, Math.max(0, offset), sampleRate))
      })
      const dur = Number.isFinite(s.bpm) && s.bars > 0 && s.beatsPerBar > 0 ? sectionDuration(s) : 0
      sectionsEnd = Math.max(sectionsEnd, Math.round((Math.max(0, offset) + dur) * sampleRate))
    })
  } else {
    const events = input as readonly NoteEvent[]
    const offset = options.offset ?? 0
    events.forEach((e, ei) => {
      checkEvent(e, `event ${ei}`)
      notes.push(place(e, offset, sampleRate))
    })
  }
  return { notes, tempos, sectionsEnd }
}
