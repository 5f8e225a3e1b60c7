import { sectionDuration, type Section } from '@auralis/protocol'
import { toMidi, toTracker } from '@auralis/composition'

/** Sections that have started playing by `nowSeconds`, overlapping [from, to) seconds since the epoch. */
export function playedSections(history: Section[], nowSeconds: number, from = 0, to = Infinity): Section[] {
  return history.filter((s) => s.startTime <= nowSeconds && s.startTime + sectionDuration(s) > from && s.startTime < to)
}

/** A Standard MIDI File of the given sections. */
export function exportMidi(sections: Section[]): Uint8Array {
  return toMidi(sections)
}

/** Tracker text of the given sections, one block per section with a comment header. */
export function exportTracker(sections: Section[]): string {
  return sections
    .map((s) => `# section ${s.index} · bar ${s.bar} · ${s.startTime.toFixed(3)} s · ${s.bpm} bpm · ${s.key} ${s.mode} · ${s.chords.map((c) => c.symbol).join(' ')}\n${toTracker(s)}`)
    .join('\n')
}
