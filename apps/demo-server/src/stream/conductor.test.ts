import { describe, expect, it } from 'vitest'
import { createComposer } from '@auralis/composition'
import { SectionSchema, sectionDuration, type Section } from '@auralis/protocol'
import { Conductor, type SectionReport } from './conductor.js'
import { FakeClock } from './fake-clock.js'
import type { ComposerPort } from './types.js'

function setup(composer: ComposerPort = createComposer({ style: 'jazz', seed: 3, key: 'C', mode: 'ionian', bpm: 120, intensity: 0.5 }), lead = 1) {
  const clock = new FakeClock()
  const published: { type: string; data: unknown; id: string }[] = []
  const reports: SectionReport[] = []
  let n = 0
  const conductor = new Conductor({
    room: 'r', epoch: clock.now() + lead * 1000, composer, clock, leadSeconds: lead,
    publisher: { publish: (_room, type, data) => { const id = String(++n); published.push({ type, data, id }); return id } },
    onSection: (r) => reports.push(r),
  })
  return { clock, conductor, published, reports, sections: () => published.filter((p) => p.type === 'section').map((p) => p.data as Section) }
}

describe('Conductor', () => {
  it('keeps about one section plus the lead published ahead, contiguous in time and bars, never late', async () => {
    const { clock, conductor, sections, reports } = setup()
    conductor.start()
    await clock.advance(60_000)
    const list = sections()
    const dur = sectionDuration(list[0]) // 2 bars at 120 bpm = 4 s
    expect(dur).toBe(4)
    // After 60 s past start, sections cover up to now + lead + one section at least.
    expect(list.length).toBeGreaterThanOrEqual(Math.floor((60 - 1) / dur) + 1)
    for (let i = 1; i < list.length; i++) {
      expect(list[i].startTime).toBeCloseTo(list[i - 1].startTime + dur, 9)
      expect(list[i].bar).toBe(list[i - 1].bar + list[i - 1].bars)
      expect(list[i].index).toBe(i)
    }
    for (const s of list) SectionSchema.parse(s)
    for (const r of reports) {
      expect(r.late).toBe(false)
      expect(r.leadSeconds).toBeGreaterThanOrEqual(1 - 1e-9)
      expect(r.leadSeconds).toBeLessThanOrEqual(1 + dur + 0.02)
    }
    conductor.stop()
  })

  it('publishes a fallback (the previous music, re-timed) when composing throws, and counts it', async () => {
    const real = createComposer({ style: 'ambient', seed: 9, key: 'A', mode: 'aeolian', bpm: 90, intensity: 0.5 })
    let calls = 0
    const flaky: ComposerPort = {
      next: () => { if (++calls === 3) throw new Error('boom'); return real.next() },
      set: (c) => real.set(c), snapshot: () => real.snapshot(), get controls() { return real.controls },
    }
    const { clock, conductor, sections } = setup(flaky)
    conductor.start()
    await clock.advance(30_000)
    const list = sections()
    const fb = list.find((s) => s.source === 'fallback')!
    expect(fb).toBeDefined()
    expect(fb.events).toEqual(list[fb.index - 1].events)
    expect(conductor.counters.fallbacks).toBe(1)
    for (let i = 1; i < list.length; i++) expect(list[i].startTime).toBeCloseTo(list[i - 1].startTime + sectionDuration(list[i - 1]), 9)
    conductor.stop()
  })

  it('publishes a fallback when an asynchronous composition overruns its deadline, then stays in step', async () => {
    const real = createComposer({ style: 'jazz', seed: 5, key: 'F', mode: 'ionian', bpm: 120, intensity: 0.5 })
    const clockRef: { c?: FakeClock } = {}
    let call = 0
    const slow: ComposerPort = {
      next: () => real.next(),
      nextAsync: () => new Promise((resolve) => {
        const s = real.next()
        clockRef.c!.setTimer(() => resolve(s), ++call === 4 ? 60_000 : 5)
      }),
      set: (c) => real.set(c), snapshot: () => real.snapshot(), get controls() { return real.controls },
    }
    const { clock, conductor, sections } = setup(slow)
    clockRef.c = clock
    conductor.start()
    await clock.advance(120_000)
    const list = sections()
    const fallbacks = list.filter((s) => s.source === 'fallback')
    // The hung composition holds up about 60 s of 4 s slots: each gets a fallback at once, none is late.
    expect(fallbacks.length).toBeGreaterThanOrEqual(13)
    expect(fallbacks.length).toBeLessThanOrEqual(16)
    expect(conductor.counters.late).toBe(0)
    expect(list.at(-1)!.source).toBe('algorithmic')
    for (let i = 1; i < list.length; i++) expect(list[i].startTime).toBeCloseTo(list[i - 1].startTime + sectionDuration(list[i - 1]), 9)
    conductor.stop()
  })

  it('announces a controls change and applies it from the next unpublished bar', async () => {
    const { clock, conductor, published, sections } = setup()
    conductor.start()
    await clock.advance(5_000)
    const applied = await conductor.setControls({ bpm: 90 })
    expect(published.at(-1)).toMatchObject({ type: 'controls', data: { controls: { bpm: 90 }, bar: applied.bar } })
    await clock.advance(20_000)
    for (const s of sections()) expect(s.bpm).toBe(s.bar >= applied.bar ? 90 : 120)
    const first = sections().find((s) => s.bar === applied.bar)!
    expect(first.startTime).toBeCloseTo(applied.time, 9)
    conductor.stop()
  })
})

describe('Conductor continuing a stream', () => {
  it('from a restored composer and the last published section continues exactly like the uninterrupted stream', async () => {
    const opts = { style: 'jazz' as const, seed: 21, key: 'F' as const, mode: 'ionian' as const, bpm: 120, intensity: 0.5 }
    const whole = setup(createComposer(opts))
    whole.conductor.start()
    await whole.clock.advance(40_000)
    whole.conductor.stop()
    const all = whole.sections()
    // A first conductor publishes five sections; a second one takes over from its snapshot and history.
    const first = setup(createComposer(opts))
    first.conductor.start()
    await first.clock.advance(0)
    while (first.sections().length < 5) await first.clock.advance(500)
    first.conductor.stop()
    const published = first.sections()
    const history = published.map((section, i) => ({ section, id: String(i + 1) }))
    const { restoreComposer } = await import('@auralis/composition')
    const clock = new FakeClock()
    const out: Section[] = []
    const second = new Conductor({
      room: 'r', epoch: first.conductor.epoch, composer: restoreComposer(first.conductor.snapshot() as never), clock, leadSeconds: 1, history,
      controls: first.conductor.controls,
      publisher: { publish: (_r, type, data) => { if (type === 'section') out.push(data as Section); return 'x' } },
    })
    await clock.advance(first.clock.now() - clock.now())
    expect(second.last()).toEqual(published.at(-1))
    second.start()
    await clock.advance(20_000)
    second.stop()
    expect(out.length).toBeGreaterThan(3)
    expect(out[0].index).toBe(published.length)
    expect([...published, ...out]).toEqual(all.slice(0, published.length + out.length))
  })

  it('records sections published elsewhere once each, in order, and the controls in force', () => {
    const { conductor } = setup()
    const composer = createComposer({ style: 'ambient', seed: 1, key: 'A', mode: 'aeolian', bpm: 90, intensity: 0.5 })
    const s0 = composer.next()
    const s1 = composer.next()
    expect(conductor.record(s0, 'a')).toBe(true)
    expect(conductor.record(s1, 'b')).toBe(true)
    expect(conductor.record(s0, 'a')).toBe(false)
    expect(conductor.record(s1, 'b')).toBe(false)
    expect(conductor.history()).toEqual([s0, s1])
    expect(conductor.isRunning).toBe(false)
    conductor.recordControls({ controls: { ...composer.controls, bpm: 100 }, bar: 4, time: 8 })
    expect(conductor.controls).toMatchObject({ bar: 4, controls: { bpm: 100 } })
  })
})
