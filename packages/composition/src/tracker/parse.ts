/**
 * `parseTracker`: tracker text (Infinite Jazz's format) → section-relative, swung note events.
 */
import { INSTRUMENTS, INSTRUMENT_IDS, LIMITS, type InstrumentId, type NoteEvent } from '@auralis/protocol'
import { TrackerError, type TrackerStepCount, type TrackerWarning, type TrackerWarningCode } from './errors.js'
import { HEADER_INSTRUMENT, drumForNote, readHeader, type TrackerHeader } from './instruments.js'
import { normalizeText, readNoteName } from './notes.js'
import { STEPS_PER_BEAT, stepTime } from './swing.js'

/** Options of {@link parseTracker}. */
export interface ParseTrackerOptions {
  /** Tempo in beats per minute (20–300). */
  bpm: number
  /** Swing ratio of off-beat eighths, 0.5 (straight, the default) to 0.75. */
  swing?: number
  /** Beats per bar (1–12, default 4). Only used with `bars`. */
  beatsPerBar?: number
  /**
   * Bars in the section (1–16). When given, every instrument must have exactly `bars × beatsPerBar × 4` steps;
   * when omitted, every instrument must have as many steps as the first.
   */
  bars?: number
  /** Velocity assumed for a note written without one (default 80). */
  defaultVelocity?: number
}

/** What {@link parseTracker} returns. */
export interface ParsedTracker {
  /** Note events, sorted by time (then instrument, then note), in section-relative seconds, swing applied. */
  readonly events: NoteEvent[]
  /** Steps per instrument (16th notes). */
  readonly steps: number
  /** Instrument headers found, in order of appearance. */
  readonly instruments: TrackerHeader[]
  /** Everything tolerated, with line numbers. */
  readonly warnings: TrackerWarning[]
}

interface StepNote {
  readonly inst: InstrumentId
  readonly note: number
  readonly vel: number
}

type Step = { readonly kind: 'rest' } | { readonly kind: 'tie'; readonly line: number } | { readonly kind: 'notes'; readonly notes: StepNote[] }

interface Track {
  readonly header: TrackerHeader
  readonly line: number
  readonly steps: Step[]
  numberingWarned: boolean
}

const REST: Step = Object.freeze({ kind: 'rest' })
const INST_ORDER = new Map<string, number>(INSTRUMENT_IDS.map((id, i) => [id, i]))

/** Orders events by time, then instrument (table order), then note. */
export function compareEvents(a: NoteEvent, b: NoteEvent): number {
  return a.t - b.t || INST_ORDER.get(a.inst)! - INST_ORDER.get(b.inst)! || a.note - b.note
}

function checkOptions(o: ParseTrackerOptions): { bpm: number; swing: number; beatsPerBar: number; bars: number | undefined; defaultVelocity: number } {
  const num = (field: string, v: unknown, min: number, max: number, int: boolean): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) {
      throw new TrackerError('options', `${field} must be ${int ? 'an integer' : 'a number'} from ${min} to ${max} (got ${String(v)})`)
    }
    return v
  }
  if (o === null || typeof o !== 'object') throw new TrackerError('options', 'options { bpm } are required')
  return {
    bpm: num('bpm', o.bpm, LIMITS.bpm.min, LIMITS.bpm.max, false),
    swing: num('swing', o.swing ?? 0.5, LIMITS.swing.min, LIMITS.swing.max, false),
    beatsPerBar: num('beatsPerBar', o.beatsPerBar ?? 4, LIMITS.beatsPerBar.min, LIMITS.beatsPerBar.max, true),
    bars: o.bars === undefined ? undefined : num('bars', o.bars, LIMITS.bars.min, LIMITS.bars.max, true),
    defaultVelocity: num('defaultVelocity', o.defaultVelocity ?? 80, LIMITS.velocity.min, LIMITS.velocity.max, true),
  }
}

/** A part that was meant as a note: `C4`, `c#4:80`, `Bb:70` (octave missing), `H4:80` is not. */
const NOTE_INTENT = /^[A-Ga-g][#bBx]*(?:-?\d+(?::.*)?|:.*)$/

/**
 * Reads tracker text into note events.
 *
 * The format (Infinite Jazz's): an instrument header line (`BASS`, `DRUMS`, `PIANO`, `SAX`; also `PAD`, `LEAD`,
 * `KEYS`, `PLUCK`, `BELL`), then one line per 16th-note step: `NOTE:VEL` (`C2:80`, C4 = 60), a chord
 * `N:V,N:V`, `.` for a rest or `^` for a tie (holds the previous step's notes one more step). Line numbers
 * (`1 C2:80`, `1. C2:80`), blank lines, Markdown fences and `#` comments are ignored. Under `DRUMS` notes
 * name kit pieces: C2 kick, D2 snare, F♯2 closed hat, B♭2 open hat, E♭3 ride, E♭2 clap, C♯3 crash/swell.
 *
 * Tolerant like the original: ♯/♭ and other unicode are normalised, note names may be lowercase, trailing
 * punctuation is stripped, velocities are clamped to 1–127, and notes outside MIDI 0–127 or outside their
 * instrument's range are skipped — each with a warning naming its line. A note lasts until the next step that is
 * not a tie. Times follow the swing grid (see `stepTime`).
 *
 * @throws {@link TrackerError} when there is no instrument, when instruments do not all have the expected
 * number of steps, when limits are exceeded, or when an option is out of range.
 */
export function parseTracker(text: string, options: ParseTrackerOptions): ParsedTracker {
  const opts = checkOptions(options)
  if (typeof text !== 'string') throw new TrackerError('options', 'tracker text must be a string')
  if (text.length > LIMITS.trackerChars) {
    throw new TrackerError('too-large', `tracker text is ${text.length} characters; the limit is ${LIMITS.trackerChars}`)
  }
  const warnings: TrackerWarning[] = []
  const warn = (line: number, code: TrackerWarningCode, message: string): void => {
    warnings.push({ line, code, message })
  }

  const tracks: Track[] = []
  let current: Track | undefined
  const lines = text.split(/\r\n|\r|\n/)
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1
    let s = normalizeText(lines[i]).trim()
    if (!s || s.startsWith('```') || s.startsWith('~~~')) continue
    const header = readHeader(s)
    if (header) {
      const earlier = tracks.findIndex((t) => t.header === header)
      if (earlier >= 0) {
        warn(lineNo, 'ignored', `${header} appears again; the earlier ${header} (line ${tracks[earlier].line}) is replaced`)
        tracks.splice(earlier, 1)
      }
      current = { header, line: lineNo, steps: [], numberingWarned: false }
      tracks.push(current)
      continue
    }
    if (s.startsWith('#') || s.startsWith('//')) continue
    s = s.replace(/\s+(?:#|\/\/).*$/, '').trim()
    if (!current) {
      warn(lineNo, 'ignored', 'text before the first instrument header is ignored')
      continue
    }
    const numbered = /^(\d+)(?:[.):]\s*|\s+|$)(.*)$/.exec(s)
    const body = numbered ? numbered[2] : s
    const step = readStep(body, numbered !== null, current.header, lineNo, opts.defaultVelocity, warn)
    if (!step) continue
    if (numbered && !current.numberingWarned && Number(numbered[1]) !== current.steps.length + 1) {
      current.numberingWarned = true
      warn(lineNo, 'numbering', `${current.header} line is numbered ${numbered[1]} but is step ${current.steps.length + 1} (numbers are ignored)`)
    }
    current.steps.push(step)
  }

  for (let k = tracks.length - 1; k >= 0; k--) {
    if (tracks[k].steps.length === 0) {
      warn(tracks[k].line, 'ignored', `${tracks[k].header} has no steps and is ignored`)
      tracks.splice(k, 1)
    }
  }
  if (tracks.length === 0) {
    throw new TrackerError('no-instrument', 'no instrument found: expected a header (BASS, DRUMS, PIANO or SAX) followed by one line per 16th-note step')
  }

  const expected = opts.bars !== undefined ? opts.bars * opts.beatsPerBar * STEPS_PER_BEAT : tracks[0].steps.length
  const counts: TrackerStepCount[] = tracks.map((t) => ({ instrument: t.header, line: t.line, steps: t.steps.length }))
  const wrong = counts.filter((c) => c.steps !== expected)
  if (wrong.length > 0) {
    const source = opts.bars !== undefined ? `${opts.bars} bars × ${opts.beatsPerBar} beats × ${STEPS_PER_BEAT}` : `as many as ${counts[0].instrument}`
    const list = wrong.map((c) => `${c.instrument} (line ${c.line}) has ${c.steps}`).join(', ')
    throw new TrackerError('step-count', `every instrument needs ${expected} steps (${source}): ${list}`, {
      line: wrong[0].line,
      expectedSteps: expected,
      counts,
    })
  }

  const times: number[] = []
  for (let s = 0; s <= expected; s++) times.push(stepTime(s, opts.bpm, opts.swing))

  const events: NoteEvent[] = []
  for (const track of tracks) {
    let open: { start: number; notes: StepNote[] } | undefined
    const close = (end: number): void => {
      if (!open) return
      const t = times[open.start]
      const d = times[end] - t
      for (const n of open.notes) events.push({ t, d, inst: n.inst, note: n.note, vel: n.vel })
      open = undefined
    }
    track.steps.forEach((step, s) => {
      if (step.kind === 'tie') {
        if (!open) warn(step.line, 'tie', `${track.header} tie (^) has no note to hold; read as a rest`)
        return
      }
      close(s)
      if (step.kind === 'notes') open = { start: s, notes: step.notes }
    })
    close(expected)
  }
  if (events.length > LIMITS.eventsPerSection) {
    throw new TrackerError('too-large', `the text makes ${events.length} notes; a section holds at most ${LIMITS.eventsPerSection}`)
  }
  events.sort(compareEvents)
  warnings.sort((a, b) => a.line - b.line)
  return { events, steps: expected, instruments: tracks.map((t) => t.header), warnings }
}

function readStep(
  body: string,
  numbered: boolean,
  header: TrackerHeader,
  line: number,
  defaultVelocity: number,
  warn: (line: number, code: TrackerWarningCode, message: string) => void,
): Step | undefined {
  const raw = body.trim()
  const s = raw.replace(/\s*:\s*/g, ':').replace(/[.,;]+$/, '').trim()
  if (s === '') {
    if (raw === '') warn(line, 'syntax', `${header} step is empty; read as a rest`)
    return REST
  }
  const lower = s.toLowerCase()
  if (s === '^' || s === '~' || lower === 'tie' || lower === 'hold') return { kind: 'tie', line }
  if (s === '-' || s === '\u2014' || lower === 'rest' || lower === 'r') return REST

  const parts = s.split(/[,;]|\s+/).filter(Boolean)
  if (!numbered && !parts.some((p) => NOTE_INTENT.test(p))) {
    warn(line, 'ignored', `"${truncate(s)}" is not a tracker step and is ignored`)
    return undefined
  }
  const notes: StepNote[] = []
  for (const part of parts) {
    const colon = part.indexOf(':')
    const pitchText = colon >= 0 ? part.slice(0, colon) : part
    const velText = colon >= 0 ? part.slice(colon + 1) : ''
    const pitch = readNoteName(pitchText)
    if (!pitch.ok) {
      warn(line, pitch.reason === 'range' ? 'range' : 'syntax', `${header}: ${pitch.message}; skipped`)
      continue
    }
    const vel = readVelocity(velText, pitchText, header, line, defaultVelocity, warn)
    let inst: InstrumentId
    let note = pitch.midi
    if (header === 'DRUMS') {
      const drum = drumForNote(note)
      if (!drum) {
        warn(line, 'drum', `DRUMS: ${pitchText.trim()} (${note}) is not in the drum map (C2 kick, D2 snare, F#2 hat, Bb2 open hat, Eb3 ride, Eb2 clap, C#3 crash); skipped`)
        continue
      }
      inst = drum
      note = INSTRUMENTS[drum].drumNote!
    } else {
      inst = HEADER_INSTRUMENT[header]
      const [low, high] = INSTRUMENTS[inst].range
      if (note < low || note > high) {
        warn(line, 'range', `${header}: ${pitchText.trim()} (${note}) is outside the ${INSTRUMENTS[inst].name} range ${low}–${high}; skipped`)
        continue
      }
    }
    const dup = notes.findIndex((n) => n.inst === inst && n.note === note)
    if (dup >= 0) {
      warn(line, 'syntax', `${header}: note ${note} appears twice in one step; the louder is kept`)
      if (vel > notes[dup].vel) notes[dup] = { inst, note, vel }
      continue
    }
    notes.push({ inst, note, vel })
  }
  return { kind: 'notes', notes }
}

function readVelocity(
  text: string,
  pitchText: string,
  header: TrackerHeader,
  line: number,
  defaultVelocity: number,
  warn: (line: number, code: TrackerWarningCode, message: string) => void,
): number {
  const m = /\d*\.\d+|\d+/.exec(text)
  if (!m) {
    warn(line, 'velocity', `${header}: ${pitchText.trim()} has no velocity; ${defaultVelocity} assumed`)
    return defaultVelocity
  }
  let v = Number(m[0])
  if (m[0].includes('.') && v <= 1) v *= 127 // a normalised 0–1 velocity
  v = Math.round(v)
  if (v < LIMITS.velocity.min || v > LIMITS.velocity.max) {
    const clamped = Math.min(LIMITS.velocity.max, Math.max(LIMITS.velocity.min, v))
    warn(line, 'velocity', `${header}: velocity ${v} clamped to ${clamped}`)
    return clamped
  }
  return v
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s
}
