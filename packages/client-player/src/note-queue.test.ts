import { describe, expect, it } from 'vitest'
import { NoteQueue } from './note-queue.js'
import { makeSection } from './test-support.js'

const ev = (t: number, note = 60) => ({ t, d: 0.25, inst: 'keys' as const, note, vel: 90 })

describe('NoteQueue', () => {
  it('computes absolute server times and hands out due notes in order', () => {
    const q = new NoteQueue()
    const epoch = 1_000_000
    expect(q.add(makeSection({ index: 0, events: [ev(0), ev(0.5), ev(3.75)] }), epoch, 0)).toEqual({ added: 3, skipped: 0 })
    expect(q.add(makeSection({ index: 1, events: [ev(0, 62), ev(1, 64)] }), epoch, 0)).toEqual({ added: 2, skipped: 0 })
    expect(q.bufferedUntilMs).toBe(epoch + 8000)
    expect(q.takeDue(epoch).map((n) => n.serverMs)).toEqual([])
    expect(q.takeDue(epoch + 600).map((n) => n.serverMs)).toEqual([epoch, epoch + 500])
    expect(q.takeDue(epoch + 5001).map((n) => [n.serverMs, n.note, n.section])).toEqual([
      [epoch + 3750, 60, 0], [epoch + 4000, 62, 1], [epoch + 5000, 64, 1],
    ])
    expect(q.size).toBe(0)
  })
  it('skips notes already in the past (late join) and counts them', () => {
    const q = new NoteQueue()
    const r = q.add(makeSection({ index: 3, events: [ev(0), ev(1), ev(2), ev(3)] }), 0, 12_000 + 1500)
    expect(r).toEqual({ added: 2, skipped: 2 })
    expect(q.takeDue(Infinity).map((n) => n.serverMs)).toEqual([14_000, 15_000])
  })
  it('merges an out-of-order section and keeps the order stable', () => {
    const q = new NoteQueue()
    q.add(makeSection({ index: 2, events: [ev(0, 70), ev(1, 71)] }), 0, 0)
    q.add(makeSection({ index: 1, events: [ev(0, 60), ev(3.9, 61)] }), 0, 0)
    expect(q.takeDue(Infinity).map((n) => n.note)).toEqual([60, 61, 70, 71])
  })
  it('clear() drops everything and reports how much', () => {
    const q = new NoteQueue()
    q.add(makeSection({ index: 0, events: [ev(0), ev(1)] }), 0, 0)
    expect(q.clear()).toBe(2)
    expect(q.size).toBe(0)
    expect(q.bufferedUntilMs).toBeUndefined()
  })
})
