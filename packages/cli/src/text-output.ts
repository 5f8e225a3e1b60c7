/** Tracker text output: every section's tracker text under a one-line `#` header (a comment to `parseTracker`). */
import { toTracker } from '@auralis/composition'
import type { Section } from '@auralis/protocol'
import type { MusicOptions } from './options.js'

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60)
  const s = seconds - m * 60
  return `${m}:${s.toFixed(3).padStart(6, '0')}`
}

/** The section's chord symbols, bar by bar (`Dm7 G7 | Cmaj7`). */
export function chordLine(section: Section): string {
  const bars: string[][] = Array.from({ length: section.bars }, () => [])
  for (const c of section.chords) bars[c.bar]?.push(c.symbol)
  return bars.map((b) => (b.length ? b.join(' ') : '%')).join(' | ')
}

/**
 * The header line of one section, e.g.
 * `# section 3 · bar 4 · at 0:06.857 · bpm 140 · bars 2 × 4 · swing 0.67 · C ionian · chords C7 | F7`.
 */
export function sectionHeader(section: Section): string {
  return `# section ${section.index} · bar ${section.bar} · at ${clock(section.startTime)} · bpm ${section.bpm} · ` +
    `bars ${section.bars} × ${section.beatsPerBar} · swing ${section.swing} · ${section.key} ${section.mode} · chords ${chordLine(section)}`
}

/** The file's first lines: what was composed, and how to read it. */
export function trackerFileHeader(music: MusicOptions, seconds: number): string {
  const form = music.style === 'jazz' && music.form ? ` · form ${music.form}` : ''
  return [
    `# Auralis tracker text · style ${music.style} · seed ${music.seed} · ${music.key} ${music.mode} · bpm ${music.bpm} · ` +
      `intensity ${music.intensity}${form} · ${seconds} s`,
    '# One block per section; one line per 16th-note step; each block reads back with parseTracker.',
  ].join('\n')
}

/** One section as a block of the file: its header line, then its tracker text. */
export function sectionBlock(section: Section): string {
  return `${sectionHeader(section)}\n${section.tracker ?? toTracker(section)}`
}
