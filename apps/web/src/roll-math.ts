/**
 * Piano-roll math (pure): which notes are in view and where they go on the canvas.
 */
import { INSTRUMENTS, type InstrumentId, type Section } from '@auralis/protocol'

/** A note placed in stream time. */
export interface RollNote {
  /** Start, seconds since the epoch. */
  readonly start: number
  /** Duration, seconds. */
  readonly d: number
  /** MIDI note. */
  readonly note: number
  /** Instrument. */
  readonly inst: InstrumentId
  /** Velocity 1–127. */
  readonly vel: number
}

/** The visible window of the roll. */
export interface RollView {
  /** Canvas width in CSS pixels. */
  readonly width: number
  /** Canvas height in CSS pixels (the pitched lanes; drums get a strip below, see {@link DRUM_STRIP}). */
  readonly height: number
  /** Seconds of the past shown left of the now-line. */
  readonly pastS: number
  /** Seconds of the future shown right of the now-line. */
  readonly aheadS: number
  /** Lowest and highest MIDI note shown. */
  readonly low: number
  /** Highest MIDI note shown. */
  readonly high: number
}

/** A rectangle in CSS pixels. */
export interface Rect {
  /** Left. */
  readonly x: number
  /** Top. */
  readonly y: number
  /** Width. */
  readonly w: number
  /** Height. */
  readonly h: number
}

/** Height in pixels of the drum strip under the pitched lanes. */
export const DRUM_STRIP = 14

/** Notes of `sections` sounding at some point in [fromS, toS] (stream seconds), in start order. */
export function notesInWindow(sections: readonly Section[], fromS: number, toS: number): RollNote[] {
  const out: RollNote[] = []
  for (const s of sections) {
    for (const e of s.events) {
      const start = s.startTime + e.t
      if (start <= toS && start + e.d >= fromS) out.push({ start, d: e.d, note: e.note, inst: e.inst, vel: e.vel })
    }
  }
  return out.sort((a, b) => a.start - b.start)
}

/**
 * Pitch range to show for some notes: their lowest and highest pitched note, widened to at least
 * `minSpan` semitones around their middle and clamped to 0–127. Drums are left out.
 */
export function pitchRange(notes: readonly RollNote[], minSpan = 24): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const n of notes) {
    if (INSTRUMENTS[n.inst].drum) continue
    lo = Math.min(lo, n.note)
    hi = Math.max(hi, n.note)
  }
  if (!Number.isFinite(lo)) return [48, 48 + minSpan]
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2
    lo = Math.floor(mid - minSpan / 2)
    hi = lo + minSpan
  }
  if (lo < 0) [lo, hi] = [0, hi - lo]
  if (hi > 127) [lo, hi] = [Math.max(0, lo - (hi - 127)), 127]
  return [lo, hi]
}

/** X of the now-line. */
export function nowX(view: RollView): number {
  return (view.width * view.pastS) / (view.pastS + view.aheadS)
}

/** X (CSS px) of a stream time, given the stream time now. */
export function timeToX(view: RollView, nowS: number, t: number): number {
  return nowX(view) + ((t - nowS) * view.width) / (view.pastS + view.aheadS)
}

/** Top Y (CSS px) of a pitch's lane; higher notes are higher up. */
export function noteToY(view: RollView, note: number): number {
  const lanes = view.high - view.low + 1
  return ((view.high - note) * view.height) / lanes
}

/**
 * Where a note is drawn: its pitch lane (drums in the strip under the lanes), from its start to its end,
 * clipped to the canvas; `undefined` when it is out of view.
 */
export function noteRect(view: RollView, nowS: number, n: RollNote): Rect | undefined {
  const x0 = timeToX(view, nowS, n.start)
  const x1 = Math.max(x0 + 2, timeToX(view, nowS, n.start + n.d))
  if (x1 < 0 || x0 > view.width) return undefined
  const x = Math.max(0, x0)
  const w = Math.min(view.width, x1) - x
  if (INSTRUMENTS[n.inst].drum) return { x, y: view.height + 2, w: Math.min(w, 3), h: DRUM_STRIP - 4 }
  if (n.note < view.low || n.note > view.high) return undefined
  const lane = view.height / (view.high - view.low + 1)
  return { x, y: noteToY(view, n.note), w, h: Math.max(1, lane - 1) }
}

/** Colour of each instrument on the roll (and in the legend). */
export const INSTRUMENT_COLORS: Readonly<Record<InstrumentId, string>> = Object.freeze({
  pad: '#7c9cff', lead: '#ffd166', bass: '#ef476f', keys: '#06d6a0', piano: '#4cc9f0', sax: '#f4a261',
  pluck: '#b388eb', bell: '#caffbf', kick: '#e0e0e0', snare: '#bdbdbd', hat: '#9e9e9e', openhat: '#9e9e9e',
  ride: '#cfd8dc', clap: '#bdbdbd', swell: '#eeeeee',
})
