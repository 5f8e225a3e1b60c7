import { describe, expect, it } from 'vitest'
import { PLAYOUT_WORKLET_SOURCE } from './worklet-source.js'

describe('generated worklet source', () => {
  it('is up to date with src/worklet (run `node scripts/build-worklet.mjs` after editing the engine)', async () => {
    // @ts-expect-error a plain .mjs build script without types
    const { bundleWorklet } = await import('../scripts/build-worklet.mjs')
    expect(await bundleWorklet()).toBe(PLAYOUT_WORKLET_SOURCE)
  })
  it('registers the processor and uses no page globals', () => {
    expect(PLAYOUT_WORKLET_SOURCE).toContain('"auralis-playout"')
    expect(PLAYOUT_WORKLET_SOURCE).not.toMatch(/\b(window|document|self)\./)
  })
})
