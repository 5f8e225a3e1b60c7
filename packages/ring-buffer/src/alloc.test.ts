import { PerformanceObserver } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { deinterleave, interleave, RingBuffer } from './index.js'

// No allocation in steady state: after warm-up, millions of calls (including overruns, underruns, wraps, peeks,
// frame helpers) must not trigger a single garbage collection. Allocating even one small object per call would
// fill V8's young generation many times over and show up as GC events.
describe('allocation', () => {
  it('push/pop/peek/discard/pushFrames/popFrames/interleave allocate nothing after warm-up', async () => {
    const rb = RingBuffer.create(2 * 1000 + 1, Float32Array) // odd capacity: frames straddle the wrap
    const chunk = new Float32Array(256)
    const out = new Float32Array(256)
    const planar = [new Float32Array(128), new Float32Array(128)]
    const step = (i: number): void => {
      rb.push(chunk)
      rb.push(chunk, 100, 3)
      rb.pushFrames(planar, 128)
      const filling = ((i >> 6) & 1) === 0 // alternate 64-step phases
      if (filling) rb.push(chunk) // fills up: overruns
      rb.peek(out, 64)
      rb.pop(out)
      rb.pop(out, 100, 3)
      rb.popFrames(planar, 128)
      if (!filling) rb.pop(out, 200) // runs dry: underruns
      if (i % 7 === 0) rb.discard(10)
      interleave(planar, out)
      deinterleave(out, planar)
    }
    for (let i = 0; i < 100_000; i++) step(i)
    await new Promise((r) => setTimeout(r, 20))
    const gcs: unknown[] = []
    const obs = new PerformanceObserver((list) => gcs.push(...list.getEntries()))
    obs.observe({ entryTypes: ['gc'] })
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < 400_000; i++) step(i)
    const grown = process.memoryUsage().heapUsed - before
    await new Promise((r) => setTimeout(r, 50)) // GC entries are delivered asynchronously
    obs.disconnect()
    expect(rb.overruns).toBeGreaterThan(0)
    expect(rb.underruns).toBeGreaterThan(0)
    expect(gcs).toHaveLength(0)
    // ~4.8 M calls; 16 bytes each would be ~77 MB. Allow for JIT code and feedback only.
    expect(grown).toBeLessThan(2_000_000)
  })
})
