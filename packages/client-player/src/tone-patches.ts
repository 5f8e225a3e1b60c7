/**
 * Default Tone.js patches, one per instrument id. Each patch is a voice source plus its level and reverb
 * send. Deep imports keep Tone's index (which creates an AudioContext on import) out of the bundle.
 * No worklet-based nodes (PluckSynth, Freeverb) and no MetalSynth: plain Web Audio nodes only.
 */
import type { InstrumentId } from '@auralis/protocol'
import { FMSynth } from 'tone/build/esm/instrument/FMSynth.js'
import { MembraneSynth } from 'tone/build/esm/instrument/MembraneSynth.js'
import { MonoSynth } from 'tone/build/esm/instrument/MonoSynth.js'
import { NoiseSynth } from 'tone/build/esm/instrument/NoiseSynth.js'
import { PolySynth } from 'tone/build/esm/instrument/PolySynth.js'
import { Synth } from 'tone/build/esm/instrument/Synth.js'
import { Filter } from 'tone/build/esm/component/filter/Filter.js'
import { Vibrato } from 'tone/build/esm/effect/Vibrato.js'
import type { ToneAudioNode } from 'tone/build/esm/core/context/ToneAudioNode.js'

/** A playable instrument built from a patch. */
export interface ToneVoice {
  /** Starts a note at context time `time` for `d` seconds; `vel` in 0–1, `hz` the pitch. */
  trigger(hz: number, d: number, time: number, vel: number): void
  /** The node to connect onwards. */
  readonly output: ToneAudioNode
  /** Level in dB at the instrument's channel. */
  readonly volumeDb: number
  /** Reverb send level, 0–1. */
  readonly reverbSend: number
  /** Frees the nodes. */
  dispose(): void
}

/** Frequency in Hz of a MIDI note (A4 = 69 = 440 Hz). */
export function midiToHz(note: number): number {
  return 440 * 2 ** ((note - 69) / 12)
}

/**
 * Voices per polyphonic instrument. Tone's default (32) is exceeded by fast comping with long releases (e.g. jazz
 * piano at 240 bpm), and every note past it is dropped with a console warning per note, which stalled the page.
 */
export const MAX_POLYPHONY = 96

function poly(synth: PolySynth, tail: ToneAudioNode[], volumeDb: number, reverbSend: number): ToneVoice {
  synth.maxPolyphony = MAX_POLYPHONY
  let node: ToneAudioNode = synth
  for (const t of tail) {
    node.connect(t)
    node = t
  }
  return {
    trigger: (hz, d, time, vel) => synth.triggerAttackRelease(hz, d, time, vel),
    output: node,
    volumeDb,
    reverbSend,
    dispose: () => [synth, ...tail].forEach((n) => n.dispose()),
  }
}

/** Round-robin pool of a monophonic drum synth, so overlapping hits never retrigger the same voice. */
function pool<T extends NoiseSynth | FMSynth>(make: () => T, size: number, fire: (v: T, d: number, time: number, vel: number) => void, tail: ToneAudioNode[], volumeDb: number, reverbSend: number): ToneVoice {
  const voices = Array.from({ length: size }, make)
  let node: ToneAudioNode = tail[0]
  for (const v of voices) v.connect(tail[0])
  for (const t of tail.slice(1)) {
    node.connect(t)
    node = t
  }
  let next = 0
  return {
    trigger: (_hz, d, time, vel) => {
      const v = voices[next]
      next = (next + 1) % size
      fire(v, d, time, vel)
    },
    output: node,
    volumeDb,
    reverbSend,
    dispose: () => [...voices, ...tail].forEach((n) => n.dispose()),
  }
}

const noise = (type: 'white' | 'pink', attack: number, decay: number, sustain = 0, release = 0.05) => () =>
  new NoiseSynth({ noise: { type }, envelope: { attack, decay, sustain, release } })
const fireNoise = (v: NoiseSynth, d: number, time: number, vel: number) => v.triggerAttackRelease(d, time, vel)

/** Builds the default patch of an instrument. */
export function buildPatch(id: InstrumentId): ToneVoice {
  switch (id) {
    case 'pad':
      return poly(new PolySynth(Synth, {
        oscillator: { type: 'fatsawtooth', count: 3, spread: 18 },
        envelope: { attack: 0.9, decay: 0.6, sustain: 0.75, release: 2.8 },
      }), [new Filter({ type: 'lowpass', frequency: 1300, Q: 0.5 })], -17, 0.55)
    case 'lead':
      return poly(new PolySynth(MonoSynth, {
        oscillator: { type: 'sawtooth' },
        filter: { type: 'lowpass', Q: 1, rolloff: -24 },
        envelope: { attack: 0.02, decay: 0.25, sustain: 0.75, release: 0.35 },
        filterEnvelope: { attack: 0.03, decay: 0.4, sustain: 0.6, release: 0.4, baseFrequency: 900, octaves: 1.8 },
      }), [new Vibrato({ frequency: 5.2, depth: 0.06 })], -12, 0.3)
    case 'sax':
      return poly(new PolySynth(MonoSynth, {
        oscillator: { type: 'sawtooth' },
        filter: { type: 'lowpass', Q: 2.5, rolloff: -12 },
        envelope: { attack: 0.06, decay: 0.3, sustain: 0.8, release: 0.25 },
        filterEnvelope: { attack: 0.08, decay: 0.5, sustain: 0.5, release: 0.3, baseFrequency: 600, octaves: 2.2 },
      }), [new Vibrato({ frequency: 4.6, depth: 0.1 })], -13, 0.3)
    case 'bass':
      return poly(new PolySynth(MonoSynth, {
        oscillator: { type: 'sawtooth' },
        filter: { type: 'lowpass', Q: 2, rolloff: -24 },
        envelope: { attack: 0.005, decay: 0.3, sustain: 0.6, release: 0.15 },
        filterEnvelope: { attack: 0.005, decay: 0.2, sustain: 0.3, release: 0.2, baseFrequency: 180, octaves: 2.6 },
      }), [], -10, 0.05)
    case 'keys':
      return poly(new PolySynth(FMSynth, {
        harmonicity: 1,
        modulationIndex: 3.2,
        oscillator: { type: 'sine' },
        modulation: { type: 'sine' },
        envelope: { attack: 0.004, decay: 1.4, sustain: 0.25, release: 1.1 },
        modulationEnvelope: { attack: 0.002, decay: 0.5, sustain: 0.1, release: 0.6 },
      }), [], -14, 0.25)
    case 'piano':
      return poly(new PolySynth(FMSynth, {
        harmonicity: 2,
        modulationIndex: 1.4,
        oscillator: { type: 'triangle' },
        modulation: { type: 'sine' },
        envelope: { attack: 0.002, decay: 2.2, sustain: 0.08, release: 0.9 },
        modulationEnvelope: { attack: 0.002, decay: 0.35, sustain: 0.05, release: 0.5 },
      }), [], -13, 0.22)
    case 'pluck':
      return poly(new PolySynth(Synth, {
        oscillator: { type: 'triangle' },
        envelope: { attack: 0.002, decay: 0.35, sustain: 0, release: 0.3 },
      }), [new Filter({ type: 'lowpass', frequency: 2600, Q: 0.7 })], -12, 0.35)
    case 'bell':
      return poly(new PolySynth(FMSynth, {
        harmonicity: 3.51, // inharmonic partials
        modulationIndex: 11,
        oscillator: { type: 'sine' },
        modulation: { type: 'sine' },
        envelope: { attack: 0.001, decay: 2.6, sustain: 0, release: 2.2 },
        modulationEnvelope: { attack: 0.001, decay: 1.6, sustain: 0, release: 1.5 },
      }), [], -17, 0.5)
    case 'kick': {
      const synth = new PolySynth(MembraneSynth, {
        pitchDecay: 0.045,
        octaves: 5,
        envelope: { attack: 0.001, decay: 0.42, sustain: 0, release: 0.1 },
      })
      return { ...poly(synth, [], -6, 0), trigger: (_hz, d, time, vel) => synth.triggerAttackRelease(48, Math.min(d, 0.3), time, vel) }
    }
    case 'snare':
      return pool(noise('white', 0.001, 0.17), 4, fireNoise, [new Filter({ type: 'highpass', frequency: 1100 })], -12, 0.12)
    case 'hat':
      return pool(noise('white', 0.001, 0.045), 4, fireNoise, [new Filter({ type: 'highpass', frequency: 7500 })], -20, 0.05)
    case 'openhat':
      return pool(noise('white', 0.002, 0.32, 0.05, 0.15), 3, fireNoise, [new Filter({ type: 'highpass', frequency: 6500 })], -21, 0.08)
    case 'clap':
      return pool(noise('pink', 0.002, 0.13), 3, fireNoise, [new Filter({ type: 'bandpass', frequency: 1300, Q: 1.2 })], -13, 0.2)
    case 'swell':
      return pool(noise('white', 1.2, 0.4, 0.8, 1.2), 2, fireNoise, [new Filter({ type: 'highpass', frequency: 4200 })], -24, 0.4)
    case 'ride':
      return pool(() => new FMSynth({
        harmonicity: 5.1,
        modulationIndex: 28,
        oscillator: { type: 'square' },
        modulation: { type: 'square' },
        envelope: { attack: 0.001, decay: 1.1, sustain: 0, release: 0.6 },
        modulationEnvelope: { attack: 0.001, decay: 0.8, sustain: 0, release: 0.4 },
      }), 3, (v, d, time, vel) => v.triggerAttackRelease(420, d, time, vel), [new Filter({ type: 'highpass', frequency: 3200 })], -24, 0.15)
  }
}
