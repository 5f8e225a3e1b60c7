import { existsSync, readFileSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { RingBuffer } from './index.js'

// An AudioWorkletGlobalScope has the JavaScript built-ins (SharedArrayBuffer, Atomics, typed arrays) and nothing
// of Node or the DOM. Load the built bundle into a fresh realm with only the built-ins and use it there.
describe('a bare JavaScript realm (as in an AudioWorklet)', () => {
  const dist = new URL('../dist/index.js', import.meta.url)

  it('loads the built bundle with no Node or DOM globals and attaches to a ring made in another realm', () => {
    expect(existsSync(dist), 'build the package first').toBe(true)
    const code = readFileSync(dist, 'utf8')
    expect(code).not.toMatch(/^\s*import\s/m) // a single self-contained module
    // Turn the trailing `export { A, B as C }` into a return value and wrap the module in a function for vm.
    const body = code.replace(/^export\s*\{([^}]*)\};?\s*(\/\/# sourceMappingURL=.*)?$/m, (_, names: string) => {
      const pairs = names.split(',').map((n) => n.trim()).filter(Boolean).map((n) => {
        const [local, exported = local] = n.split(/\s+as\s+/)
        return `${JSON.stringify(exported)}: ${local}`
      })
      return `return { ${pairs.join(', ')} };`
    })
    const ring = RingBuffer.create(8, Float32Array)
    ring.push(Float32Array.of(0.25, -0.5, 0.75))
    const sandbox: Record<string, unknown> = { buffer: ring.buffer }
    const result = runInNewContext(
      `"use strict";
      const seen = [typeof process, typeof require, typeof window, typeof self, typeof document].join(',');
      const { RingBuffer } = (function () { ${body} })();
      const rb = RingBuffer.from(buffer, Float32Array); // this realm's Float32Array, another object than Node's
      const left = new Float32Array(2), right = new Float32Array(2);
      const got = rb.pop(left, 1) + rb.popFrames([new Float32Array(1), right], 1);
      rb.push(Float32Array.of(9, 8));
      ({ seen, got, left: Array.from(left), right: Array.from(right), under: rb.underruns });`,
      sandbox,
    ) as { seen: string; got: number; left: number[]; right: number[]; under: number }
    expect(result.seen).toBe('undefined,undefined,undefined,undefined,undefined')
    expect(result.got).toBe(2)
    expect(result.left).toEqual([0.25, 0])
    expect(result.right).toEqual([0.75, 0])
    expect(result.under).toBe(0)
    const back = new Float32Array(2)
    expect(ring.pop(back)).toBe(2)
    expect([...back]).toEqual([9, 8])
  })
})
