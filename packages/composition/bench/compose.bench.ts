/**
 * Time to compose one 2-bar section per style, against a baseline measured in the same run:
 * `JSON.stringify` of a composed section (the work a server does anyway to publish it).
 */
import { bench, describe } from 'vitest'
import { createComposer } from '../src/index.js'

const opts = { seed: 42, key: 'A', mode: 'aeolian', bpm: 96, intensity: 0.6 } as const
const ambient = createComposer({ ...opts, style: 'ambient' })
const jazz = createComposer({ ...opts, style: 'jazz', key: 'F', mode: 'ionian', form: 'blues' })
const sample = jazz.next()

describe('compose one 2-bar section', () => {
  bench('baseline: JSON.stringify(one jazz section)', () => {
    JSON.stringify(sample)
  })
  bench('ambient: next()', () => {
    ambient.next()
  })
  bench('jazz: next()', () => {
    jazz.next()
  })
})
