/**
 * Tracker text and MIDI on one composed 2-bar jazz quartet section, against a baseline measured in the same
 * run: `JSON.stringify` of that section (what a server does anyway to publish it).
 */
import { bench, describe } from 'vitest'
import { createComposer } from '../composer.js'
import { fromMidi, toMidi } from '../midi/index.js'
import { parseTracker } from './parse.js'
import { toTracker } from './render.js'

const composer = createComposer({ style: 'jazz', seed: 7, key: 'F', mode: 'ionian', bpm: 140, intensity: 0.7 })
const section = composer.next()
const text = toTracker(section)
const eight = [section, ...Array.from({ length: 7 }, () => composer.next())]
const bytes = toMidi(eight)
const opts = { bpm: section.bpm, swing: section.swing, bars: section.bars, beatsPerBar: section.beatsPerBar }

describe(`tracker and MIDI, one 2-bar quartet section (${section.events.length} notes)`, () => {
  bench('baseline: JSON.stringify(section)', () => {
    JSON.stringify(section)
  })
  bench('toTracker(section)', () => {
    toTracker(section)
  })
  bench('parseTracker(text)', () => {
    parseTracker(text, opts)
  })
  bench('toMidi(8 sections)', () => {
    toMidi(eight)
  })
  bench('fromMidi(8 sections)', () => {
    fromMidi(bytes)
  })
})
