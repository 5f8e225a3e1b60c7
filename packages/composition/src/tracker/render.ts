/**
 * `toTracker`: a section's note events → tracker text (Infinite Jazz's format).
 */
import { INSTRUMENTS, type NoteEvent, type Section } from '@auralis/protocol'
import { DRUM_NAMES, QUARTET_HEADERS, TRACKER_HEADERS, headerForInstrument, type TrackerHeader } from './instruments.js'
import { prefersFlats, spellNote } from './notes.js'
import { STEPS_PER_BEAT, timeToStep } from './swing.js'

/** The parts of a section `toTracker` reads (a whole `Section` will do). */
export type TrackerSection = Pick<Section, 'bpm' | 'bars' | 'beatsPerBar' | 'swing' | 'events'> & {
  /** Key root (for spelling black keys). */
  key?: string
  /** Mode (for spelling black keys). */
  mode?: string
}

/** Options of {@link toTracker}. */
export interface ToTrackerOptions {
  /** Prefix each step with its 1-based number (`1 C2:80`), as Infinite Jazz prompts do. Default true. */
  lineNumbers?: boolean
  /** Spell black keys with flats (default: as the section's key signature does, sharps without a key). */
  flats?: boolean
}

interface Onset {
  note: number
  vel: number
  end: number
  name: string
}

/**
 * Writes a section's events as tracker text: the four quartet headers always (`BASS`, `DRUMS`, `PIANO`, `SAX`,
 * all-rest when silent), then `PAD`, `LEAD`, `KEYS`, `PLUCK`, `BELL` for those that play; one line per
 * 16th-note step. Times are un-swung back to the 16th grid (nearest step) and durations become ties.
 *
 * The text can say less than events can, so some things are rounded away: an onset off the grid moves to the
 * nearest step, a duration becomes a whole number of steps (at least one), notes struck together share the
 * longest one's length, and a new onset in an instrument ends the notes still sounding in it. For a section
 * whose events are on the grid (as `parseTracker` makes them), `parseTracker(toTracker(s))` gives back the
 * same events.
 */
export function toTracker(section: TrackerSection, options: ToTrackerOptions = {}): string {
  const { bpm, swing, bars, beatsPerBar } = section
  const total = bars * beatsPerBar * STEPS_PER_BEAT
  const numbers = options.lineNumbers ?? true
  const flats = options.flats ?? prefersFlats(section.key, section.mode)

  const byHeader = new Map<TrackerHeader, Map<number, Onset[]>>()
  for (const e of section.events) addOnset(byHeader, e, bpm, swing, total, flats)

  const blocks: string[] = []
  for (const header of TRACKER_HEADERS) {
    const onsets = byHeader.get(header)
    if (!onsets && !QUARTET_HEADERS.includes(header)) continue
    const lines: string[] = [header]
    let holdUntil = 0
    for (let s = 0; s < total; s++) {
      const here = onsets?.get(s)
      let cell: string
      if (here && here.length > 0) {
        here.sort((a, b) => a.note - b.note)
        cell = here.map((o) => `${o.name}:${o.vel}`).join(',')
        holdUntil = Math.max(...here.map((o) => o.end))
        for (let n = s + 1; n < holdUntil; n++) {
          if (onsets!.has(n)) {
            holdUntil = n
            break
          }
        }
      } else {
        cell = s < holdUntil ? '^' : '.'
      }
      lines.push(numbers ? `${s + 1} ${cell}` : cell)
    }
    blocks.push(lines.join('\n'))
  }
  return blocks.join('\n\n')
}

function addOnset(byHeader: Map<TrackerHeader, Map<number, Onset[]>>, e: NoteEvent, bpm: number, swing: number, total: number, flats: boolean): void {
  const inst = INSTRUMENTS[e.inst]
  if (!inst) return
  const start = Math.min(total - 1, Math.max(0, Math.round(timeToStep(e.t, bpm, swing))))
  const end = Math.min(total, Math.max(start + 1, Math.round(timeToStep(e.t + e.d, bpm, swing))))
  const note = inst.drum ? inst.drumNote! : e.note
  const header = headerForInstrument(e.inst)
  let steps = byHeader.get(header)
  if (!steps) byHeader.set(header, (steps = new Map()))
  let here = steps.get(start)
  if (!here) steps.set(start, (here = []))
  const vel = Math.min(127, Math.max(1, Math.round(e.vel)))
  const same = here.find((o) => o.note === note)
  if (same) {
    same.vel = Math.max(same.vel, vel)
    same.end = Math.max(same.end, end)
    return
  }
  here.push({ note, vel, end, name: inst.drum ? DRUM_NAMES[note] : spellNote(note, flats) })
}
