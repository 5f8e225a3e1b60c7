/**
 * What is playing at a given moment: the section and the chord in force, from the sections received.
 */
import { sectionDuration, type Chord, type Section } from '@auralis/protocol'

/** The section and chord sounding at a moment. */
export interface NowPlaying {
  /** The section sounding. */
  readonly section: Section
  /** The chord in force (the last one placed at or before the moment), if the section has chords. */
  readonly chord: Chord | undefined
}

/** Seconds from a section's start to a chord position (bar, beat). */
export function chordOffsetS(section: Section, chord: Chord): number {
  return ((chord.bar * section.beatsPerBar + chord.beat) * 60) / section.bpm
}

/**
 * The section sounding at `streamTimeS` (seconds since the epoch) and its chord then, or `undefined`
 * when no section covers that moment. `sections` may be in any order.
 */
export function nowPlayingAt(sections: readonly Section[], streamTimeS: number): NowPlaying | undefined {
  let found: Section | undefined
  for (const s of sections) {
    if (s.startTime <= streamTimeS && streamTimeS < s.startTime + sectionDuration(s)) {
      if (!found || s.startTime > found.startTime) found = s
    }
  }
  if (!found) return undefined
  const into = streamTimeS - found.startTime
  let chord: Chord | undefined
  let best = -Infinity
  for (const c of found.chords) {
    const at = chordOffsetS(found, c)
    if (at <= into && at >= best) {
      best = at
      chord = c
    }
  }
  return { section: found, chord }
}
