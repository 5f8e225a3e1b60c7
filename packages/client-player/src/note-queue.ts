/**
 * The queue of notes received but not yet handed to an output, sorted by server time.
 */
import { sectionDuration, type InstrumentId, type Section } from '@auralis/protocol'
import { firstAtOrAfter, noteServerMs } from './schedule-math.js'

/** A note waiting to be scheduled, with its absolute server time. */
export interface QueuedNote {
  /** Server time (ms) at which the note sounds. */
  readonly serverMs: number
  /** Instrument id. */
  readonly inst: InstrumentId
  /** MIDI note number. */
  readonly note: number
  /** MIDI velocity 1–127. */
  readonly vel: number
  /** Duration in seconds. */
  readonly d: number
  /** Index of the section the note came from. */
  readonly section: number
}

/** What {@link NoteQueue.add} did with a section's notes. */
export interface AddResult {
  /** Notes queued. */
  readonly added: number
  /** Notes dropped because they start before `nowServerMs` (late join, replayed past). */
  readonly skipped: number
}

/** Sorted note queue. Notes are ordered by server time; equal times keep arrival order. */
export class NoteQueue {
  private notes: QueuedNote[] = []
  private until: number | undefined

  /** Notes waiting. */
  get size(): number {
    return this.notes.length
  }

  /** Server time (ms) at which the latest section received ends, if any. */
  get bufferedUntilMs(): number | undefined {
    return this.until
  }

  /**
   * Queues a section's notes. Times are `epoch + (startTime + t) · 1000`; notes starting before
   * `nowServerMs` are dropped and counted as skipped.
   */
  add(section: Section, epochMs: number, nowServerMs: number): AddResult {
    const fresh: QueuedNote[] = []
    let skipped = 0
    for (const e of section.events) {
      const serverMs = noteServerMs(epochMs, section.startTime, e.t)
      if (serverMs < nowServerMs) {
        skipped++
        continue
      }
      fresh.push({ serverMs, inst: e.inst, note: e.note, vel: e.vel, d: e.d, section: section.index })
    }
    const end = noteServerMs(epochMs, section.startTime, sectionDuration(section))
    this.until = this.until === undefined ? end : Math.max(this.until, end)
    if (fresh.length > 0) {
      const last = this.notes.length ? this.notes[this.notes.length - 1].serverMs : -Infinity
      // Common case: the section follows everything queued. Otherwise merge and keep the sort stable.
      if (fresh[0].serverMs >= last && isSorted(fresh)) this.notes.push(...fresh)
      else this.notes = [...this.notes, ...fresh].sort((a, b) => a.serverMs - b.serverMs)
    }
    return { added: fresh.length, skipped }
  }

  /** Removes and returns every note starting before `horizonServerMs`, earliest first. */
  takeDue(horizonServerMs: number): QueuedNote[] {
    const n = firstAtOrAfter(this.notes, horizonServerMs, (q) => q.serverMs)
    return n === 0 ? [] : this.notes.splice(0, n)
  }

  /** Drops every queued note (and the buffered horizon); returns how many were dropped. */
  clear(): number {
    const n = this.notes.length
    this.notes = []
    this.until = undefined
    return n
  }
}

function isSorted(notes: readonly QueuedNote[]): boolean {
  for (let i = 1; i < notes.length; i++) if (notes[i].serverMs < notes[i - 1].serverMs) return false
  return true
}
