import type { NoteEvent, Section } from '@auralis/protocol'
import type { Adsr, Preset } from '../src/index.js'

export const SR = 48000

export const adsr = (attack: number, decay: number, sustain: number, release: number): Adsr => ({ attack, decay, sustain, release })

/** A bare test preset: full gain at velocity 127, no effects sends, flat envelope unless given. */
export function testPreset(p: Partial<Preset>): Preset {
  return {
    name: 'test', description: 'test', gain: 1, velocityCurve: 1, amp: adsr(0, 0, 1, 0), pan: 0, reverb: 0, delay: 0, ...p,
  }
}

/** A short multi-instrument score (sections placed 2 s apart, with a tempo change). */
export function testSections(): Section[] {
  const mk = (index: number, startTime: number, bpm: number, events: NoteEvent[]): Section => ({
    index, startTime, bar: index * 2, bpm, bars: 2, beatsPerBar: 4, key: 'C', mode: 'dorian', style: 'jazz',
    intensity: 0.5, swing: 0.5, chords: [], events, source: 'algorithmic',
  })
  const a: NoteEvent[] = [
    { t: 0, d: 1.5, inst: 'pad', note: 48, vel: 80 },
    { t: 0, d: 1.5, inst: 'pad', note: 55, vel: 80 },
    { t: 0, d: 0.2, inst: 'kick', note: 36, vel: 110 },
    { t: 0.25, d: 0.1, inst: 'hat', note: 42, vel: 70 },
    { t: 0.5, d: 0.3, inst: 'bass', note: 36, vel: 100 },
    { t: 0.5, d: 0.2, inst: 'snare', note: 38, vel: 90 },
    { t: 0.75, d: 0.4, inst: 'pluck', note: 67, vel: 100 },
    { t: 1, d: 0.5, inst: 'lead', note: 72, vel: 90 },
    { t: 1.25, d: 0.3, inst: 'clap', note: 39, vel: 90 },
  ]
  const b: NoteEvent[] = [
    { t: 0, d: 0.6, inst: 'piano', note: 60, vel: 90 },
    { t: 0, d: 0.6, inst: 'keys', note: 64, vel: 80 },
    { t: 0.1, d: 0.8, inst: 'sax', note: 70, vel: 100 },
    { t: 0.3, d: 0.5, inst: 'bell', note: 84, vel: 80 },
    { t: 0.4, d: 0.3, inst: 'ride', note: 51, vel: 80 },
    { t: 0.6, d: 0.3, inst: 'openhat', note: 46, vel: 80 },
    { t: 0.7, d: 1.0, inst: 'swell', note: 49, vel: 90 },
  ]
  return [mk(0, 100, 120, a), mk(1, 102, 150, b)]
}

