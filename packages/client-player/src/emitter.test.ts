import { describe, expect, it } from 'vitest'
import { Emitter } from './emitter.js'

describe('Emitter', () => {
  it('delivers payloads, unsubscribes, survives a throwing listener', () => {
    const e = new Emitter<{ a: number; b: string }>()
    const got: unknown[] = []
    const off = e.on('a', (n) => got.push(n))
    e.on('b', () => {
      throw new Error('listener bug')
    })
    e.on('b', (s) => got.push(s))
    const errors: unknown[] = []
    const g = globalThis as { reportError?: (e: unknown) => void }
    const saved = g.reportError
    g.reportError = (err: unknown) => errors.push(err)
    e.emit('a', 1)
    e.emit('b', 'x')
    off()
    e.emit('a', 2)
    g.reportError = saved
    expect(got).toEqual([1, 'x'])
    expect(errors).toHaveLength(1)
  })
})
