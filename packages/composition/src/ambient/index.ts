/** The ambient style: Markov harmony, voice-led pads, a constraint melody, root bass and texture. */
import type { Chord, Controls, NoteEvent } from '@auralis/protocol'
import { chordSpans, sortEvents, type GenContext } from '../context.js'
import type { Rng } from '../rng.js'
import { ambientBass } from './bass.js'
import { markovChords, type MarkovState, type TransitionTable } from './chords.js'
import { ambientMelody } from './melody.js'
import { ambientPads, lastPadVoicing } from './pads.js'
import { ambientPercussion } from './percussion.js'

/** What the ambient style carries from one section to the next. */
export interface AmbientState {
  /** The Markov chain's position. */
  markov: MarkovState | null
  /** Last pad voicing (for voice leading). */
  padVoicing: number[] | null
  /** Last melody note. */
  melodyNote: number | null
  /** Last bass note. */
  bassNote: number | null
}

/** A fresh ambient state (the chain starts on the tonic). */
export function initialAmbientState(): AmbientState {
  return { markov: null, padVoicing: null, melodyNote: null, bassNote: null }
}

/** Settings of an ambient section besides the controls. */
export interface AmbientSettings {
  /** Bars in the section. */
  readonly bars: number
  /** Beats per bar. */
  readonly beatsPerBar: number
  /** Markov transition table override. */
  readonly transitions?: TransitionTable
}

function lastNote(events: readonly NoteEvent[], inst: string): number | null {
  for (let i = events.length - 1; i >= 0; i--) if (events[i].inst === inst) return events[i].note
  return null
}

/** Composes one ambient section's chords and events; returns the state to carry on with. */
export function composeAmbient(rng: Rng, controls: Controls, settings: AmbientSettings, state: AmbientState): { chords: Chord[]; events: NoteEvent[]; state: AmbientState } {
  const rChords = rng.fork()
  const rPads = rng.fork()
  const rMelody = rng.fork()
  const rBass = rng.fork()
  const rTexture = rng.fork()
  const harmony = markovChords(rChords, {
    key: controls.key, mode: controls.mode, bars: settings.bars, intensity: controls.intensity,
    transitions: settings.transitions, previous: state.markov,
  })
  const ctx: GenContext = {
    bpm: controls.bpm, bars: settings.bars, beatsPerBar: settings.beatsPerBar, swing: 0.5, intensity: controls.intensity,
    key: controls.key, mode: controls.mode, chords: chordSpans(harmony.chords, settings.bars, settings.beatsPerBar),
  }
  const pads = ambientPads(rPads, { ...ctx, previousVoicing: state.padVoicing })
  const melody = ambientMelody(rMelody, { ...ctx, previousNote: state.melodyNote })
  const bass = ambientBass(rBass, { ...ctx, previousNote: state.bassNote })
  const texture = ambientPercussion(rTexture, ctx)
  const events = sortEvents([...pads, ...bass, ...melody, ...texture])
  return {
    chords: harmony.chords,
    events,
    state: {
      markov: harmony.state,
      padVoicing: lastPadVoicing(pads) ?? state.padVoicing,
      melodyNote: lastNote(melody, 'lead') ?? state.melodyNote,
      bassNote: lastNote(bass, 'bass') ?? state.bassNote,
    },
  }
}
