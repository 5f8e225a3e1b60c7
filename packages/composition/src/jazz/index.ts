/** The jazz style: a quartet (walking bass, drums, rootless piano comping, sax) over a form or a chart. */
import type { Chord, Controls, NoteEvent } from '@auralis/protocol'
import { chordSpans, sortEvents, type GenContext } from '../context.js'
import type { Rng } from '../rng.js'
import { semitonesUp, transposeChord } from '../theory.js'
import { walkingBassLine } from './bass.js'
import { jazzDrums } from './drums.js'
import { formBar, formLength, placeBar, type ChartBars, type FormName } from './forms.js'
import { jazzComping, lastPianoVoicing } from './piano.js'
import { initialSaxState, saxLine, type SaxState } from './sax.js'

/** What the jazz style carries from one section to the next. */
export interface JazzState {
  /** Bars of the form (or chart) played so far. */
  formBar: number
  /** Last bass note. */
  bassNote: number | null
  /** The note the bass approached at the end of the last section. */
  plannedBass: number | null
  /** Last piano voicing. */
  pianoVoicing: number[] | null
  /** The sax's state. */
  sax: SaxState
}

/** A fresh jazz state (top of the form). */
export function initialJazzState(): JazzState {
  return { formBar: 0, bassNote: null, plannedBass: null, pianoVoicing: null, sax: initialSaxState() }
}

/** Settings of a jazz section besides the controls. */
export interface JazzSettings {
  /** Bars in the section. */
  readonly bars: number
  /** Beats per bar. */
  readonly beatsPerBar: number
  /** Swing ratio. */
  readonly swing: number
  /** The form, when no chart is given. */
  readonly form: FormName
  /** A parsed chart (overrides the form), written in `chartKey`. */
  readonly chart?: ChartBars | null
  /** The key the chart is written in; the chart is transposed from it to the key control. */
  readonly chartKey?: string
}

/** The chord symbols of bar `n` of the form or chart, in the controls' key. */
export function jazzBar(controls: Controls, settings: JazzSettings, n: number): readonly string[] {
  if (settings.chart && settings.chart.length) {
    const bars = settings.chart
    const semis = semitonesUp(settings.chartKey ?? controls.key, controls.key)
    return bars[((n % bars.length) + bars.length) % bars.length].map((s) => transposeChord(s, semis))
  }
  return formBar(settings.form, controls.key, controls.mode, n)
}

/** Phrase length in bars for drum fills: 8 when the form divides into 8-bar phrases, else 4. */
export function phraseLength(settings: JazzSettings): number {
  const len = settings.chart && settings.chart.length ? settings.chart.length : formLength(settings.form)
  return len % 8 === 0 && len !== 48 ? 8 : 4
}

/** The section's chord placements, and the first chord after it. */
export function jazzChords(controls: Controls, settings: JazzSettings, startBar: number): { chords: Chord[]; nextChord: string } {
  const chords: Chord[] = []
  for (let k = 0; k < settings.bars; k++) chords.push(...placeBar(jazzBar(controls, settings, startBar + k), k, settings.beatsPerBar))
  return { chords, nextChord: jazzBar(controls, settings, startBar + settings.bars)[0] }
}

/** Composes one jazz section's chords and events; returns the state to carry on with. */
export function composeJazz(rng: Rng, controls: Controls, settings: JazzSettings, state: JazzState): { chords: Chord[]; events: NoteEvent[]; state: JazzState } {
  const rBass = rng.fork()
  const rDrums = rng.fork()
  const rPiano = rng.fork()
  const rSax = rng.fork()
  const { chords, nextChord } = jazzChords(controls, settings, state.formBar)
  const ctx: GenContext = {
    bpm: controls.bpm, bars: settings.bars, beatsPerBar: settings.beatsPerBar, swing: settings.swing,
    intensity: controls.intensity, key: controls.key, mode: controls.mode,
    chords: chordSpans(chords, settings.bars, settings.beatsPerBar), nextChord,
  }
  const bass = walkingBassLine(rBass, { ...ctx, previousNote: state.bassNote, plannedNote: state.plannedBass })
  const drums = jazzDrums(rDrums, { ...ctx, formBar: state.formBar, phraseBars: phraseLength(settings) })
  const piano = jazzComping(rPiano, { ...ctx, previousVoicing: state.pianoVoicing })
  const sax = saxLine(rSax, { ...ctx, previous: state.sax })
  const events = sortEvents([...bass.events, ...drums, ...piano, ...sax.events])
  return {
    chords,
    events,
    state: {
      formBar: state.formBar + settings.bars,
      bassNote: bass.lastNote,
      plannedBass: bass.plannedNote,
      pianoVoicing: lastPianoVoicing(piano) ?? state.pianoVoicing,
      sax: sax.state,
    },
  }
}
