/**
 * Tracker-grid math (pure): a section's note events laid out on 16th-note steps, one column per tracker
 * instrument (Infinite Jazz's BASS / DRUMS / PIANO / SAX, then PAD, LEAD, KEYS, PLUCK, BELL when they play).
 */
import { INSTRUMENTS, type InstrumentId, type Section } from '@auralis/protocol'
import { noteName } from './notes.js'

/** Steps per beat of the grid (16th notes). */
export const STEPS_PER_BEAT = 4

/** Tracker columns in display order. */
export const GRID_COLUMNS = ['BASS', 'DRUMS', 'PIANO', 'SAX', 'PAD', 'LEAD', 'KEYS', 'PLUCK', 'BELL'] as const

/** A tracker column name. */
export type GridColumn = (typeof GRID_COLUMNS)[number]

/** The four columns always shown (the Infinite Jazz quartet). */
export const QUARTET_COLUMNS: readonly GridColumn[] = ['BASS', 'DRUMS', 'PIANO', 'SAX']

/** Short names of the drum pieces as the grid writes them. */
export const DRUM_LABELS: Readonly<Partial<Record<InstrumentId, string>>> = Object.freeze({
  kick: 'BD', snare: 'SD', hat: 'HH', openhat: 'OH', ride: 'RD', clap: 'CP', swell: 'CR',
})

/** The column an instrument is written in. */
export function columnOf(inst: InstrumentId): GridColumn {
  if (INSTRUMENTS[inst].drum) return 'DRUMS'
  return inst.toUpperCase() as GridColumn
}

/** Straight position (beats) of a swung time in beats, for swing ratio `swing` (0.5 = straight). */
export function unswingBeats(beats: number, swing: number): number {
  if (swing === 0.5) return beats
  let whole = Math.floor(beats)
  if (beats - whole > 1 - 1e-9) whole += 1
  const frac = Math.max(0, beats - whole)
  return whole + (frac < swing ? frac / (2 * swing) : 0.5 + (frac - swing) / (2 * (1 - swing)))
}

/** Fractional grid step of a section-relative time in seconds (swing undone). */
export function stepOfTime(seconds: number, bpm: number, swing: number): number {
  return unswingBeats((seconds * bpm) / 60, swing) * STEPS_PER_BEAT
}

/** One cell: a note onset, a held note, or a rest. */
export interface GridCell {
  /** `on` (an onset), `hold` (a note still sounding) or `rest`. */
  readonly kind: 'on' | 'hold' | 'rest'
  /** What the cell shows: `C2:80`, `RD HH`, `^` or `.`. */
  readonly text: string
  /** Loudest velocity of the onsets in the cell (0 for holds and rests). */
  readonly vel: number
}

/** One 16th step of the grid. */
export interface GridRow {
  /** Step index within the section, from 0. */
  readonly step: number
  /** Label `bar.beat.sixteenth`, 1-based, the bar counted in the stream. */
  readonly label: string
  /** Whether the step starts a beat. */
  readonly downbeat: boolean
  /** One cell per column. */
  readonly cells: readonly GridCell[]
}

/** A section as a tracker grid. */
export interface SectionGrid {
  /** The section's index in its stream. */
  readonly index: number
  /** Columns shown. */
  readonly columns: readonly GridColumn[]
  /** One row per 16th step. */
  readonly rows: readonly GridRow[]
}

interface Hit {
  labels: string[]
  vel: number
  end: number
}

/** Columns to show for some sections: the quartet, then every other column that has notes. */
export function gridColumns(sections: readonly Pick<Section, 'events'>[]): GridColumn[] {
  const used = new Set<GridColumn>(QUARTET_COLUMNS)
  for (const s of sections) for (const e of s.events) used.add(columnOf(e.inst))
  return GRID_COLUMNS.filter((c) => used.has(c))
}

/** Lays a section out as a tracker grid over `columns` (default {@link gridColumns} of the section). */
export function sectionGrid(section: Section, columns: readonly GridColumn[] = gridColumns([section])): SectionGrid {
  const total = section.bars * section.beatsPerBar * STEPS_PER_BEAT
  const flats = /b/.test(section.key) || ['F'].includes(section.key)
  const byCol = new Map<GridColumn, Map<number, Hit>>()
  for (const e of section.events) {
    const col = columnOf(e.inst)
    const start = Math.min(total - 1, Math.max(0, Math.round(stepOfTime(e.t, section.bpm, section.swing))))
    const end = Math.min(total, Math.max(start + 1, Math.round(stepOfTime(e.t + e.d, section.bpm, section.swing))))
    let steps = byCol.get(col)
    if (!steps) byCol.set(col, (steps = new Map()))
    const hit = steps.get(start) ?? { labels: [], vel: 0, end: start + 1 }
    const label = INSTRUMENTS[e.inst].drum ? DRUM_LABELS[e.inst]! : noteName(e.note, flats)
    if (!hit.labels.includes(label)) hit.labels.push(label)
    hit.vel = Math.max(hit.vel, e.vel)
    hit.end = col === 'DRUMS' ? start + 1 : Math.max(hit.end, end)
    steps.set(start, hit)
  }
  const holdUntil = columns.map(() => 0)
  const rows: GridRow[] = []
  for (let step = 0; step < total; step++) {
    const cells = columns.map((col, i): GridCell => {
      const hit = byCol.get(col)?.get(step)
      if (hit) {
        holdUntil[i] = hit.end
        const text = col === 'DRUMS' ? hit.labels.join(' ') : `${hit.labels.join(' ')}:${hit.vel}`
        return { kind: 'on', text, vel: hit.vel }
      }
      return step < holdUntil[i] ? { kind: 'hold', text: '^', vel: 0 } : { kind: 'rest', text: '.', vel: 0 }
    })
    const beatInBar = Math.floor(step / STEPS_PER_BEAT) % section.beatsPerBar
    const bar = section.bar + Math.floor(step / (STEPS_PER_BEAT * section.beatsPerBar))
    rows.push({ step, label: `${bar + 1}.${beatInBar + 1}.${(step % STEPS_PER_BEAT) + 1}`, downbeat: step % STEPS_PER_BEAT === 0, cells })
  }
  return { index: section.index, columns, rows }
}

/**
 * The grid step sounding at `streamTimeS` (seconds since the epoch) in `section`, or `undefined` when the
 * moment is outside the section.
 */
export function currentStep(section: Pick<Section, 'startTime' | 'bpm' | 'swing' | 'bars' | 'beatsPerBar'>, streamTimeS: number): number | undefined {
  const into = streamTimeS - section.startTime
  const total = section.bars * section.beatsPerBar * STEPS_PER_BEAT
  if (into < 0) return undefined
  const step = Math.floor(stepOfTime(into, section.bpm, section.swing) + 1e-9)
  return step < total ? step : undefined
}
