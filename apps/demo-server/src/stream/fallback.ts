import { sectionDuration, type Section } from '@auralis/protocol'

/**
 * A section to publish when composing failed or ran late: the previous section's music again (so the stream
 * never has a silent gap), re-timed to the slot it fills and marked `source: 'fallback'`.
 */
export function fallbackSection(previous: Section, slot: { index: number; startTime: number; bar: number }): Section {
  return { ...previous, ...slot, source: 'fallback', events: previous.events.map((e) => ({ ...e })) }
}

/** End of a section in seconds since the epoch. */
export function sectionEnd(s: Section): number {
  return s.startTime + sectionDuration(s)
}
