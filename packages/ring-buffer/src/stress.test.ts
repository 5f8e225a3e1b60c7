import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { RingBuffer } from './index.js'
import type { TypedArray, TypedArrayConstructor } from './types.js'

// Seeded random stress across two worker_threads: a producer pushes a known sequence in random-sized chunks (up to
// 48,000 elements, random offsets, canaries around them), a consumer pops random-sized chunks (random offsets,
// canaries around them, sometimes peeking first) and checks every element in order. Both attach with
// RingBuffer.from from the BUILT package (dist/), to a ring created here from the source.

interface Result {
  error?: string
  pushed?: number
  popped?: number
  overrun?: number
  underrun?: number
  pushes?: number
  pops?: number
  peeks?: number
}

interface Case {
  type: TypedArrayConstructor<TypedArray>
  capacity: number
  total: number
  seed: number
  channels?: number
}

const MAX_CHUNK = 48_000
const dist = new URL('../dist/index.js', import.meta.url)

function side(role: 'producer' | 'consumer', buffer: SharedArrayBuffer, control: SharedArrayBuffer, c: Case, deadline: number): Promise<Result> {
  const worker = new Worker(new URL('./stress-worker.mjs', import.meta.url), {
    workerData: { role, buffer, control, typeName: c.type.name, seed: c.seed, total: c.total, maxChunk: MAX_CHUNK, channels: c.channels ?? 0, deadline },
  })
  return new Promise<Result>((resolve, reject) => {
    worker.once('message', (m: Result) => resolve(m))
    worker.once('error', reject)
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${role} exited with ${code}`))))
  }).finally(() => worker.terminate())
}

const cases: Case[] = [
  // Interleaved stereo audio through pushFrames/popFrames and raw pops; 100 ms of 48 kHz stereo per ring.
  { type: Float32Array, capacity: 9_600, total: 9_600 * 120, seed: 0xa0d10, channels: 2 },
  { type: Int16Array, capacity: 96_002, total: 96_002 * 110, seed: 1234 },
  { type: Uint8Array, capacity: 1_009, total: 1_009 * 300, seed: 77 },
  { type: Float64Array, capacity: 65_536, total: 65_536 * 110, seed: 4242 },
  { type: Int32Array, capacity: 3, total: 3 * 10_000, seed: 5 },
  { type: BigInt64Array, capacity: 4_099, total: 4_099 * 120, seed: 99 },
]

describe('multi-threaded stress (worker_threads)', () => {
  it('has a built dist/ for the workers to import', () => {
    expect(existsSync(dist), 'run `pnpm --filter @auralis/ring-buffer build` before the tests').toBe(true)
  })

  for (const c of cases) {
    const label = `${c.type.name}, capacity ${c.capacity}${c.channels ? `, ${c.channels} channels` : ''}`
    it(`moves ${c.total} elements in order through ${label} (${c.total / c.capacity} wraps)`, async () => {
      const rb = RingBuffer.create(c.capacity, c.type)
      const deadline = Date.now() + 20_000
      const control = new SharedArrayBuffer(8)
      const [p, q] = await Promise.all([
        side('producer', rb.buffer, control, c, deadline),
        side('consumer', rb.buffer, control, c, deadline),
      ])
      expect(p.error).toBeUndefined()
      expect(q.error).toBeUndefined()
      expect(p.pushed).toBe(c.total)
      expect(q.popped).toBe(c.total)
      expect(c.total / c.capacity).toBeGreaterThanOrEqual(100)
      // The shared counters, read here (a third thread), equal what each side counted itself.
      expect(rb.overruns).toBe(p.overrun)
      expect(rb.underruns).toBe(q.underrun)
      expect(rb.isEmpty).toBe(true)
      expect(rb.availableWrite).toBe(c.capacity)
    }, 25_000)
  }
})
