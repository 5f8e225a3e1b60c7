import { MODES, type Section } from '@auralis/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createComposer, DEFAULT_TRANSITIONS, markovChords, createRng, diatonicChords } from '../index.js'
import { beatsOf, chordAtBeat, chordSet, controlsArb, rootOf, scaleSet } from '../test-utils.js'

function run(opts: Parameters<typeof createComposer>[0], n: number): Section[] {
  const c = createComposer(opts)
  return Array.from({ length: n }, () => c.next())
}

describe('ambient melody', () => {
  it('is 100% in the scale, with chord tones on strong beats (rate measured ≥ 90%) and 1–3 notes a bar', () => {
    let strong = 0
    let strongChordTones = 0
    let notes = 0
    let inScale = 0
    fc.assert(
      fc.property(controlsArb, (c) => {
        for (const s of run({ ...c, style: 'ambient' }, 6)) {
          const scale = scaleSet(s.key, s.mode)
          const perBar = new Array<number>(s.bars).fill(0)
          for (const e of s.events) {
            if (e.inst !== 'lead') continue
            notes++
            if (scale.has(e.note % 12)) inScale++
            const pos = beatsOf(s, e.t)
            perBar[Math.floor(pos / s.beatsPerBar)]++
            const inBar = pos % s.beatsPerBar
            if (inBar === 0 || inBar === s.beatsPerBar / 2) {
              strong++
              if (chordSet(chordAtBeat(s, pos)).has(e.note % 12)) strongChordTones++
            }
          }
          for (const count of perBar) {
            expect(count).toBeGreaterThanOrEqual(1)
            expect(count).toBeLessThanOrEqual(3)
          }
        }
      }),
      { numRuns: 80 },
    )
    expect(notes).toBeGreaterThan(500)
    expect(inScale / notes).toBe(1)
    expect(strong).toBeGreaterThan(200)
    expect(strongChordTones / strong).toBeGreaterThanOrEqual(0.9)
  })

  it('leaves rests and sustains: notes last over a beat on average and a bar is never filled solid', () => {
    const sections = run({ style: 'ambient', seed: 3, key: 'D', mode: 'dorian', bpm: 72, intensity: 0.5 }, 200)
    const leads = sections.flatMap((s) => s.events.filter((e) => e.inst === 'lead').map((e) => (e.d * s.bpm) / 60))
    const mean = leads.reduce((a, b) => a + b, 0) / leads.length
    expect(mean).toBeGreaterThan(1.2)
    const withRest = leads.filter((d) => d < 4).length / leads.length
    expect(withRest).toBeGreaterThan(0.5)
  })

  it('moves mostly by step: median interval between successive notes ≤ 3 semitones', () => {
    const notes = run({ style: 'ambient', seed: 11, key: 'E', mode: 'phrygian', bpm: 60, intensity: 0.4 }, 200)
      .flatMap((s) => s.events.filter((e) => e.inst === 'lead').map((e) => e.note))
    const steps = notes.slice(1).map((n, i) => Math.abs(n - notes[i])).sort((a, b) => a - b)
    expect(steps[Math.floor(steps.length / 2)]).toBeLessThanOrEqual(3)
  })
})

describe('ambient harmony (Markov chain)', () => {
  it('changes chord only on bar lines, at most once a bar, and often holds for two bars or more', () => {
    for (const mode of MODES) {
      const sections = run({ style: 'ambient', seed: 5, key: 'C', mode, bpm: 70, intensity: 0.5, barsPerSection: 1 }, 300)
      const perBar = sections.map((s) => {
        expect(s.chords).toHaveLength(1)
        expect(s.chords[0].beat).toBe(0)
        return s.chords[0].symbol
      })
      const runs: number[] = []
      let len = 1
      for (let i = 1; i < perBar.length; i++) {
        if (perBar[i] === perBar[i - 1]) len++
        else {
          runs.push(len)
          len = 1
        }
      }
      const long = runs.filter((r) => r >= 2).length / runs.length
      expect(long, mode).toBeGreaterThan(0.4)
      const mean = perBar.length / (runs.length + 1)
      expect(mean, mode).toBeGreaterThan(1.5)
      expect(mean, mode).toBeLessThan(4)
      // The chords are the mode's diatonic chords.
      const diatonic = new Set(diatonicChords('C', mode).map((c) => c.symbol))
      for (const sym of perBar) expect(diatonic.has(sym), `${mode} ${sym}`).toBe(true)
    }
  })

  it('follows an overridden transition table exactly', () => {
    const cycle = Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => (j === (i + 3) % 7 ? 1 : 0)))
    const r = markovChords(createRng(1), { key: 'A', mode: 'aeolian', bars: 10, intensity: 0.5, transitions: cycle })
    expect(r.degrees).toEqual([0, 3, 6, 2, 5, 1, 4, 0, 3, 6])
    expect(r.romans.slice(0, 3)).toEqual(['Im7', 'IVm7', 'bVII7'])
    const c = createComposer({ style: 'ambient', seed: 9, key: 'A', mode: 'aeolian', bpm: 70, intensity: 0.5, transitions: cycle })
    expect(c.next().chords.map((ch) => ch.symbol)).toEqual(['Am7', 'Dm7'])
    expect(c.next().chords.map((ch) => ch.symbol)).toEqual(['G7', 'Cmaj7'])
  })

  it('exports a 7×7 default table with a heavy diagonal (holding ≥ 25% of every row)', () => {
    expect(DEFAULT_TRANSITIONS).toHaveLength(7)
    for (let i = 0; i < 7; i++) {
      expect(DEFAULT_TRANSITIONS[i]).toHaveLength(7)
      const sum = DEFAULT_TRANSITIONS[i].reduce((a, b) => a + b, 0)
      expect(DEFAULT_TRANSITIONS[i][i] / sum).toBeGreaterThanOrEqual(0.25)
    }
  })
})

describe('ambient pads and bass', () => {
  it('voice-leads: total motion between successive voicings is well under root-position block chords', () => {
    const sections = run({ style: 'ambient', seed: 21, key: 'F', mode: 'lydian', bpm: 66, intensity: 0.5 }, 300)
    const voicings: number[][] = []
    const roots: number[] = []
    for (const s of sections) {
      const byT = new Map<number, number[]>()
      for (const e of s.events) if (e.inst === 'pad') byT.set(e.t, [...(byT.get(e.t) ?? []), e.note])
      for (const [t, notes] of byT) {
        voicings.push(notes.sort((a, b) => a - b))
        roots.push(rootOf(chordAtBeat(s, beatsOf(s, t))))
      }
    }
    let ours = 0
    let naive = 0
    let changes = 0
    for (let i = 1; i < voicings.length; i++) {
      if (roots[i] === roots[i - 1]) continue
      changes++
      for (let k = 0; k < 4; k++) ours += Math.abs(voicings[i][k] - voicings[i - 1][k])
      naive += Math.abs(roots[i] - roots[i - 1]) * 4 // root-position blocks move every voice with the root
    }
    expect(changes).toBeGreaterThan(50)
    expect(ours / changes).toBeLessThan(6)
    expect(ours / naive).toBeLessThan(0.6)
  })

  it('plays chord roots in the bass on every chord', () => {
    for (const s of run({ style: 'ambient', seed: 4, key: 'G', mode: 'mixolydian', bpm: 80, intensity: 0.3 }, 100)) {
      for (const ch of s.chords) {
        const at = s.events.find((e) => e.inst === 'bass' && Math.abs(beatsOf(s, e.t) - (ch.bar * 4 + ch.beat)) < 1e-6)
        expect(at && at.note % 12).toBe(rootOf(ch.symbol))
      }
    }
  })
})

describe('ambient texture follows intensity', () => {
  function measure(intensity: number) {
    const sections = run({ style: 'ambient', seed: 8, key: 'C', mode: 'aeolian', bpm: 70, intensity }, 200)
    const tex = sections.flatMap((s) => s.events.filter((e) => ['kick', 'swell', 'bell', 'hat'].includes(e.inst)))
    const bells = tex.filter((e) => e.inst === 'bell')
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
    const lead = sections.flatMap((s) => s.events.filter((e) => e.inst === 'lead').map((e) => e.note))
    return { perBar: tex.length / 400, vel: mean(tex.map((e) => e.vel)), bellPitch: mean(bells.map((e) => e.note)), leadPitch: mean(lead) }
  }
  it('density, velocity and register rise with intensity', () => {
    const lo = measure(0.1)
    const mid = measure(0.5)
    const hi = measure(0.9)
    expect(lo.perBar).toBeLessThan(mid.perBar)
    expect(mid.perBar).toBeLessThan(hi.perBar)
    expect(lo.vel + 10).toBeLessThan(hi.vel)
    expect(lo.bellPitch + 6).toBeLessThan(hi.bellPitch)
    expect(lo.leadPitch + 4).toBeLessThan(hi.leadPitch)
  })
})
