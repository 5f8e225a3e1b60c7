import type { Clock } from './types.js'

/** A manual clock for tests: time moves only when `advance` is called, running due timers in order. */
export class FakeClock implements Clock {
  private t: number
  private timers: { at: number; fn: () => void; id: number }[] = []
  private seq = 0

  constructor(start = 1_700_000_000_000) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  setTimer(fn: () => void, ms: number): () => void {
    const id = ++this.seq
    this.timers.push({ at: this.t + ms, fn, id })
    return () => { this.timers = this.timers.filter((x) => x.id !== id) }
  }

  /** Moves time forward by `ms`, running every timer that falls due (and letting promises settle between). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    for (;;) {
      await new Promise((r) => setImmediate(r))
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id)
      const next = this.timers[0]
      if (!next || next.at > end) break
      this.timers.shift()
      this.t = Math.max(this.t, next.at)
      next.fn()
    }
    this.t = end
    await new Promise((r) => setImmediate(r))
  }
}
