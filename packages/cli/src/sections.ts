/** The score: sections from the composer, composed lazily, for as long as a render needs. */
import { createComposer, type Composer } from '@auralis/composition'
import { sectionDuration, type Section } from '@auralis/protocol'
import type { MusicOptions } from './options.js'

/**
 * A composer for `music`. Throws the composition package's `CompositionError` (naming the field and its
 * allowed values) for an option out of range.
 */
export function composerFor(music: MusicOptions): Composer {
  const { style, seed, key, mode, bpm, intensity, form } = music
  return createComposer({ style, seed, key, mode, bpm, intensity, ...(form !== undefined ? { form } : {}) })
}

/**
 * The sections that start before `seconds`, composed one at a time as the caller iterates (so a long render
 * holds only the sections it is playing). The last one may end after `seconds`.
 */
export function* sectionsFor(music: MusicOptions, seconds: number): Generator<Section, void, undefined> {
  const composer = composerFor(music)
  for (;;) {
    const section = composer.next()
    if (section.startTime >= seconds) return
    yield section
  }
}

/** All sections that start before `seconds` (see {@link sectionsFor}). */
export function composeSections(music: MusicOptions, seconds: number): Section[] {
  return [...sectionsFor(music, seconds)]
}

/** End of a section in seconds since the stream start. */
export function sectionEnd(section: Section): number {
  return section.startTime + sectionDuration(section)
}
