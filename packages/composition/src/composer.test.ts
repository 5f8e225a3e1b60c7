import { INSTRUMENTS, SectionSchema, sectionDuration, type Section } from '@auralis/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CompositionError, createComposer, restoreComposer, type ComposerOptions } from './index.js'
import type { LlmSectionSource } from './llm-types.js'
import { controlsArb } from './test-utils.js'

const base: ComposerOptions = { style: 'ambient', seed: 42, key: 'A', mode: 'aeolian', bpm: 70, intensity: 0.5 }

function checkSection(s: Section): void {
  const parsed = SectionSchema.safeParse(s)
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 2))).toBe(true)
  for (let i = 0; i < s.events.length; i++) {
    const e = s.events[i]
    const [lo, hi] = INSTRUMENTS[e.inst].range
    expect(e.note, `${e.inst} ${e.note}`).toBeGreaterThanOrEqual(lo)
    expect(e.note, `${e.inst} ${e.note}`).toBeLessThanOrEqual(hi)
    expect(e.vel).toBeGreaterThanOrEqual(1)
    expect(e.vel).toBeLessThanOrEqual(127)
    expect(e.d).toBeGreaterThan(0)
    if (i > 0) expect(e.t).toBeGreaterThanOrEqual(s.events[i - 1].t)
  }
}

describe('createComposer: sections', () => {
  it('every section passes SectionSchema, keeps ranges, velocities, durations and order (property)', () => {
    fc.assert(
      fc.property(controlsArb, fc.constantFrom('ambient', 'jazz' as const), fc.integer({ min: 1, max: 4 }), (c, style, barsPerSection) => {
        const composer = createComposer({ ...c, style, barsPerSection })
        for (let i = 0; i < 6; i++) checkSection(composer.next())
      }),
      { numRuns: 60 },
    )
  })

  it('sections are contiguous: start times and bar numbers follow on, also across tempo changes', () => {
    fc.assert(
      fc.property(controlsArb, fc.array(fc.integer({ min: 20, max: 300 }), { minLength: 8, maxLength: 8 }), (c, tempos) => {
        const composer = createComposer({ ...c, style: tempos[0] % 2 ? 'jazz' : 'ambient' })
        let prev: Section | null = null
        for (let i = 0; i < 8; i++) {
          composer.set({ bpm: tempos[i] })
          const s = composer.next()
          expect(s.index).toBe(i)
          if (prev) {
            expect(s.startTime).toBe(prev.startTime + sectionDuration(prev))
            expect(s.bar).toBe(prev.bar + prev.bars)
          } else {
            expect(s.startTime).toBe(0)
            expect(s.bar).toBe(0)
          }
          prev = s
        }
      }),
      { numRuns: 30 },
    )
  })

  it('fills a 2-bar section with the default options and sets tracker text', () => {
    const s = createComposer(base).next()
    expect(s.bars).toBe(2)
    expect(s.beatsPerBar).toBe(4)
    expect(s.source).toBe('algorithmic')
    expect(s.tracker).toMatch(/^BASS\n/)
    expect(s.tracker).toContain('PAD')
  })
})

describe('determinism', () => {
  const script = (opts: ComposerOptions) => {
    const c = createComposer(opts)
    const out: Section[] = []
    for (let i = 0; i < 30; i++) {
      if (i === 5) c.set({ bpm: 96, intensity: 0.8 })
      if (i === 9) c.set({ style: 'jazz' })
      if (i === 14) c.set({ key: 'Eb', mode: 'dorian' })
      if (i === 20) c.set({ style: 'ambient', seed: 7 })
      out.push(c.next())
    }
    return JSON.stringify(out)
  }

  it('same seed and same set() calls at the same bars give byte-identical JSON', () => {
    expect(script(base)).toBe(script(base))
    expect(script({ ...base, seed: 43 })).not.toBe(script(base))
  })

  it('snapshot/restore continues identically (next 20 sections), through JSON text', () => {
    fc.assert(
      fc.property(controlsArb, fc.constantFrom('ambient', 'jazz' as const), fc.integer({ min: 0, max: 12 }), (c, style, warm) => {
        const a = createComposer({ ...c, style })
        for (let i = 0; i < warm; i++) a.next()
        if (warm % 3 === 1) a.set({ intensity: 0.9 })
        const snap = JSON.parse(JSON.stringify(a.snapshot()))
        const b = restoreComposer(snap)
        const fromA = Array.from({ length: 20 }, () => a.next())
        const fromB = Array.from({ length: 20 }, () => b.next())
        expect(JSON.stringify(fromB)).toBe(JSON.stringify(fromA))
      }),
      { numRuns: 25 },
    )
  })

  it('a jazz chart composer restores with its chart and transposition', () => {
    const a = createComposer({ ...base, style: 'jazz', key: 'C', chart: 'Dm7 | G7 | Cmaj7 | %' })
    a.next()
    a.set({ key: 'D' })
    const b = restoreComposer(a.snapshot())
    const sa = a.next()
    expect(sa.chords.map((c) => c.symbol)).toEqual(['Dmaj7', 'Dmaj7'])
    expect(JSON.stringify(b.next())).toBe(JSON.stringify(sa))
    const sb = a.next()
    expect(sb.chords.map((c) => c.symbol)).toEqual(['Em7', 'A7'])
    expect(JSON.stringify(b.next())).toBe(JSON.stringify(sb))
  })
})

describe('set()', () => {
  it('applies exactly at the announced bar and time', () => {
    fc.assert(
      fc.property(controlsArb, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 4 }), (c, before, barsPerSection) => {
        const composer = createComposer({ ...c, style: 'ambient', barsPerSection })
        let last: Section | null = null
        for (let i = 0; i < before; i++) last = composer.next()
        const applied = composer.set({ bpm: 123, intensity: 0.25, mode: 'lydian' })
        expect(applied.bar).toBe(last ? last.bar + last.bars : 0)
        expect(applied.time).toBe(last ? last.startTime + sectionDuration(last) : 0)
        const s = composer.next()
        expect(s.bar).toBe(applied.bar)
        expect(s.startTime).toBe(applied.time)
        expect([s.bpm, s.intensity, s.mode]).toEqual([123, 0.25, 'lydian'])
        if (last) expect([last.bpm, last.mode]).toEqual([c.bpm, c.mode])
      }),
      { numRuns: 30 },
    )
  })

  it('switches style at a section boundary and reports the controls', () => {
    const c = createComposer(base)
    expect(c.next().style).toBe('ambient')
    c.set({ style: 'jazz' })
    expect(c.controls.style).toBe('jazz')
    const s = c.next()
    expect(s.style).toBe('jazz')
    expect(s.swing).toBe(0.67)
    expect(s.events.some((e) => e.inst === 'ride')).toBe(true)
  })
})

describe('validation', () => {
  const bad: [Record<string, unknown>, string, RegExp][] = [
    [{ bpm: 19 }, 'bpm', /20–300/],
    [{ bpm: 301 }, 'bpm', /20–300/],
    [{ bpm: Number.NaN }, 'bpm', /20–300/],
    [{ intensity: 1.5 }, 'intensity', /0–1/],
    [{ intensity: -0.1 }, 'intensity', /0–1/],
    [{ key: 'H' }, 'key', /C, C#, Db/],
    [{ mode: 'major' }, 'mode', /ionian/],
    [{ style: 'polka' }, 'style', /ambient \| jazz/],
    [{ seed: -1 }, 'seed', /0–4294967295/],
    [{ seed: 1.5 }, 'seed', /0–4294967295/],
    [{ tempo: 100 }, 'tempo', /key, mode, bpm/],
  ]

  it.each(bad)('set(%j) throws CompositionError naming %s', (change, field, allowed) => {
    const c = createComposer(base)
    let err: unknown
    try {
      c.set(change as never)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(CompositionError)
    expect((err as CompositionError).field).toBe(field)
    expect((err as CompositionError).message).toMatch(allowed)
    expect((err as CompositionError).message.startsWith(`${field}:`)).toBe(true)
    // Nothing changed.
    expect(c.controls).toEqual({ key: 'A', mode: 'aeolian', bpm: 70, intensity: 0.5, style: 'ambient' })
  })

  it('set({}) and set(null) throw', () => {
    const c = createComposer(base)
    expect(() => c.set({})).toThrow(CompositionError)
    expect(() => c.set(null as never)).toThrow(/controls/)
  })

  const badOptions: [Record<string, unknown>, string][] = [
    [{ bpm: 0 }, 'bpm'],
    [{ swing: 0.9 }, 'swing'],
    [{ swing: 0.4 }, 'swing'],
    [{ barsPerSection: 0 }, 'barsPerSection'],
    [{ barsPerSection: 17 }, 'barsPerSection'],
    [{ barsPerSection: 1.5 }, 'barsPerSection'],
    [{ form: 'bossa' }, 'form'],
    [{ chart: 'Dm7 | Q7 | Cmaj7' }, 'chart'],
    [{ chart: ' | ' }, 'chart'],
    [{ chart: 'C D E F G' }, 'chart'],
    [{ transitions: [[1]] }, 'transitions'],
    [{ transitions: Array.from({ length: 7 }, () => [1, 1, 1, 1, 1, 1, -1]) }, 'transitions'],
    [{ llm: { model: 'x' } }, 'llm'],
    [{ llmTimeoutMs: 0 }, 'llmTimeoutMs'],
    [{ colour: 'blue' }, 'colour'],
    [{ seed: undefined }, 'seed'],
  ]
  it.each(badOptions)('createComposer(%j) throws CompositionError naming %s', (opt, field) => {
    expect(() => createComposer({ ...base, ...opt } as ComposerOptions)).toThrow(CompositionError)
    try {
      createComposer({ ...base, ...opt } as ComposerOptions)
    } catch (e) {
      expect((e as CompositionError).field).toBe(field)
      expect((e as CompositionError).allowed.length).toBeGreaterThan(0)
    }
  })

  it('restoreComposer rejects a tampered snapshot', () => {
    const snap = createComposer(base).snapshot()
    expect(() => restoreComposer({ ...snap, version: 2 as 1 })).toThrow(CompositionError)
    expect(() => restoreComposer({ ...snap, rng: [1, 2, 3] as never })).toThrow(/rng/)
    expect(() => restoreComposer({ ...snap, controls: { ...snap.controls, bpm: 1000 } })).toThrow(/bpm/)
    expect(() => restoreComposer({ ...snap, time: -1 })).toThrow(/time/)
  })
})

describe('LLM sections', () => {
  const jazz: ComposerOptions = { ...base, style: 'jazz', key: 'F', mode: 'ionian', bpm: 120 }
  const secretKey = 'sk-test-secret-do-not-leak'

  function source(behaviour: 'good' | 'reject' | 'slow' | 'empty', log: unknown[] = []): LlmSectionSource & { apiKey: string } {
    return {
      model: 'test-model',
      apiKey: secretKey,
      async generate(req, signal) {
        log.push(req)
        if (behaviour === 'reject') throw new Error(`HTTP 500 with key ${secretKey}`)
        if (behaviour === 'slow') {
          await new Promise((resolve, reject) => {
            const t = setTimeout(resolve, 5_000)
            signal?.addEventListener('abort', () => {
              clearTimeout(t)
              reject(new Error('aborted'))
            })
          })
        }
        if (behaviour === 'empty') return { events: [{ t: 99, d: 1, inst: 'sax', note: 60, vel: 80 }], tracker: 'SAX\n.' }
        return { events: [{ t: 0, d: 0.5, inst: 'sax', note: 65, vel: 90 }, { t: 0.5, d: 0.5, inst: 'bass', note: 41, vel: 80 }], tracker: 'BASS\n...' }
      },
    }
  }

  it('uses the LLM when it answers, and passes tempo, chords, steps and the previous tracker', async () => {
    const log: Record<string, unknown>[] = []
    const c = createComposer({ ...jazz, llm: source('good', log) })
    const s1 = await c.nextAsync()
    const s2 = await c.nextAsync()
    expect(s1.source).toBe('llm')
    expect(s1.events).toHaveLength(2)
    expect(SectionSchema.safeParse(s2).success).toBe(true)
    expect(log[0]).toMatchObject({ bpm: 120, bars: 2, beatsPerBar: 4, stepsPerBeat: 4, swing: 0.67, key: 'F', mode: 'ionian' })
    expect((log[0] as { chords: { symbol: string }[] }).chords.map((ch) => ch.symbol)).toEqual(['F7', 'Bb7'])
    expect(log[0]).not.toHaveProperty('previousTracker')
    expect(log[1]).toHaveProperty('previousTracker', 'BASS\n...')
  })

  it('falls back to the algorithmic jazz section on rejection, timeout and unusable replies', async () => {
    for (const behaviour of ['reject', 'slow', 'empty'] as const) {
      const c = createComposer({ ...jazz, llm: source(behaviour), llmTimeoutMs: 50 })
      const plain = createComposer(jazz)
      const s = await c.nextAsync()
      expect(s.source).toBe('fallback')
      expect(JSON.stringify({ ...s, source: 'algorithmic' })).toBe(JSON.stringify(plain.next()))
      expect(JSON.stringify(s)).not.toContain(secretKey)
    }
  })

  it('ambient sections never ask the LLM; snapshots never hold the source or its key', async () => {
    const log: unknown[] = []
    const c = createComposer({ ...base, llm: source('good', log) })
    expect((await c.nextAsync()).source).toBe('algorithmic')
    expect(log).toHaveLength(0)
    c.set({ style: 'jazz' })
    await c.nextAsync()
    const text = JSON.stringify(c.snapshot())
    expect(text).not.toContain(secretKey)
    expect(text).not.toContain('test-model')
    const restored = restoreComposer(c.snapshot(), { llm: source('good') })
    expect((await restored.nextAsync()).source).toBe('llm')
  })
})
