// Renders sections with Tone.js (Tone.Offline) on node-web-audio-api: the setup from PLATFORM.md
// ("Audio in Node"), with comparable Tone instruments — PolySynth of Synth / FMSynth, MembraneSynth and
// NoiseSynth (no MetalSynth, no worklet-based nodes, no MonoSynth: ~5× slower than Synth here) — one
// shared filter, panner and reverb send per instrument, a convolution reverb, a feedback delay and a
// limiter. It does less work per voice than synth-core (no unison spread on most, no per-voice filter
// envelopes, no vibrato), so the comparison favours Tone.
import * as nwa from 'node-web-audio-api'

let Tone

/** Makes Tone.js importable in Node and imports it. */
export async function loadTone() {
  if (Tone) return Tone
  globalThis.window = globalThis.self = globalThis
  globalThis.isSecureContext = true
  for (const [k, v] of Object.entries(nwa)) if (typeof v === 'function' && !(k in globalThis)) globalThis[k] = v
  class AudioContextNoSink extends nwa.AudioContext {
    constructor(options = {}) {
      super({ sinkId: { type: 'none' }, ...options })
    }
  }
  globalThis.AudioContext = AudioContextNoSink
  const log = console.log
  console.log = () => {} // Tone prints a banner
  Tone = await import('tone')
  console.log = log
  return Tone
}

const PAN = { pad: 0, lead: 0.15, bass: 0, keys: -0.25, piano: -0.1, sax: 0.2, pluck: -0.35, bell: 0.35, kick: 0, snare: 0.05, hat: 0.3, openhat: 0.3, ride: -0.3, clap: -0.05, swell: 0 }
const REVERB = { pad: 0.5, lead: 0.25, bass: 0.04, keys: 0.25, piano: 0.2, sax: 0.25, pluck: 0.3, bell: 0.5, kick: 0.03, snare: 0.15, hat: 0.08, openhat: 0.1, ride: 0.12, clap: 0.3, swell: 0.45 }

function makeInstrument(T, id) {
  const poly = (voice, options) => new T.PolySynth({ voice, maxPolyphony: 64, options })
  switch (id) {
    case 'pad': return poly(T.Synth, { oscillator: { type: 'fatsawtooth', count: 3, spread: 18 }, envelope: { attack: 0.7, decay: 1.5, sustain: 0.85, release: 2.2 }, volume: -18 })
    case 'lead': return poly(T.Synth, { oscillator: { type: 'fatsquare', count: 2, spread: 10 }, envelope: { attack: 0.006, decay: 0.3, sustain: 0.75, release: 0.25 }, volume: -16 })
    case 'bass': return poly(T.Synth, { oscillator: { type: 'sawtooth' }, envelope: { attack: 0.003, decay: 0.5, sustain: 0.75, release: 0.07 }, volume: -10 })
    case 'keys': return poly(T.FMSynth, { harmonicity: 1, modulationIndex: 2.2, envelope: { attack: 0.002, decay: 2.6, sustain: 0, release: 0.35 }, modulationEnvelope: { attack: 0.002, decay: 0.35, sustain: 0.2, release: 0.35 }, volume: -12 })
    case 'piano': return poly(T.FMSynth, { harmonicity: 1, modulationIndex: 1.6, envelope: { attack: 0.002, decay: 3.5, sustain: 0, release: 0.3 }, modulationEnvelope: { attack: 0.002, decay: 0.6, sustain: 0.15, release: 0.3 }, volume: -12 })
    case 'sax': return poly(T.Synth, { oscillator: { type: 'sawtooth' }, envelope: { attack: 0.03, decay: 0.2, sustain: 0.8, release: 0.12 }, volume: -12 })
    case 'pluck': return poly(T.Synth, { oscillator: { type: 'triangle' }, envelope: { attack: 0.001, decay: 0.8, sustain: 0, release: 0.12 }, volume: -8 })
    case 'bell': return poly(T.FMSynth, { harmonicity: 3.5, modulationIndex: 3, envelope: { attack: 0.001, decay: 4.5, sustain: 0, release: 1.5 }, modulationEnvelope: { attack: 0.001, decay: 1.2, sustain: 0.25, release: 1.5 }, volume: -14 })
    case 'kick': return new T.MembraneSynth({ pitchDecay: 0.035, octaves: 2.5, envelope: { attack: 0.0005, decay: 0.55, sustain: 0, release: 0.01 }, volume: -2 })
    case 'snare': return new T.NoiseSynth({ noise: { type: 'white' }, envelope: { attack: 0.0005, decay: 0.3, sustain: 0 }, volume: -8 })
    case 'hat': return new T.NoiseSynth({ noise: { type: 'white' }, envelope: { attack: 0.0005, decay: 0.09, sustain: 0 }, volume: -14 })
    case 'openhat': return new T.NoiseSynth({ noise: { type: 'white' }, envelope: { attack: 0.0005, decay: 0.7, sustain: 0 }, volume: -16 })
    case 'ride': return new T.NoiseSynth({ noise: { type: 'pink' }, envelope: { attack: 0.0005, decay: 2.2, sustain: 0 }, volume: -18 })
    case 'clap': return new T.NoiseSynth({ noise: { type: 'white' }, envelope: { attack: 0.0003, decay: 0.45, sustain: 0 }, volume: -8 })
    case 'swell': return new T.NoiseSynth({ noise: { type: 'white' }, envelope: { attack: 1, decay: 0, sustain: 1, release: 0.6 }, volume: -14 })
    default: throw new Error(`no Tone instrument for ${id}`)
  }
}

const FILTERS = {
  snare: ['highpass', 1400], hat: ['highpass', 7500], openhat: ['highpass', 6500], ride: ['bandpass', 5200],
  clap: ['bandpass', 1200], swell: ['lowpass', 3000], pad: ['lowpass', 1400], bass: ['lowpass', 700],
  sax: ['lowpass', 1800], lead: ['lowpass', 3000],
}

/** Notes Tone dropped in the last render (PolySynth "Max polyphony exceeded"). */
export let droppedNotes = 0

/** Renders sections (60 s scores) with Tone.Offline; returns the AudioBuffer-like result. */
export async function renderWithTone(sections, seconds) {
  const T = await loadTone()
  droppedNotes = 0
  const warn = console.warn
  console.warn = (...args) => {
    const text = String(args[0])
    if (text.includes('Max polyphony')) droppedNotes++
    else if (!text.includes('Schedulable methods should include')) warn(...args) // benign, printed once by Tone
  }
  try {
    return await offline(T, sections, seconds)
  } finally {
    console.warn = warn
  }
}

function offline(T, sections, seconds) {
  const origin = Math.min(...sections.map((s) => s.startTime))
  const bpm = sections[0]?.bpm ?? 120
  return T.Offline(async ({ transport }) => {
    const limiter = new T.Limiter(-1).toDestination()
    const reverb = new T.Reverb({ decay: 2.4, preDelay: 0.012, wet: 1 })
    await reverb.generate()
    reverb.connect(limiter)
    const delay = new T.FeedbackDelay({ delayTime: (0.75 * 60) / bpm, feedback: 0.38, wet: 1 }).connect(limiter)
    const delay2 = new T.Gain(0.5).connect(delay)
    const inst = {}
    const get = (id) => {
      if (inst[id]) return inst[id]
      const synth = makeInstrument(T, id)
      const panner = new T.Panner(PAN[id]).connect(limiter)
      const send = new T.Gain(REVERB[id]).connect(reverb)
      let head = synth
      if (FILTERS[id]) {
        const [type, frequency] = FILTERS[id]
        const f = new T.Filter({ type, frequency, Q: 1 })
        synth.connect(f)
        head = f
      }
      head.connect(panner)
      head.connect(send)
      if (['lead', 'pluck', 'bell', 'sax', 'keys'].includes(id)) head.connect(delay2)
      inst[id] = synth
      return synth
    }
    const lastMono = {}
    for (const s of sections) {
      const off = s.startTime - origin
      for (const e of s.events) {
        const synth = get(e.inst)
        let time = off + e.t
        if (!(synth instanceof T.PolySynth)) {
          // Monophonic Tone instruments need strictly increasing start times.
          if (lastMono[e.inst] !== undefined && time <= lastMono[e.inst] + 0.001) time = lastMono[e.inst] + 0.001
          lastMono[e.inst] = time
        }
        const vel = e.vel / 127
        const freq = 440 * Math.pow(2, (e.note - 69) / 12)
        // Scheduled on the transport so that PolySynth allocates voices as the render reaches them.
        if (synth instanceof T.NoiseSynth) transport.schedule((t) => synth.triggerAttackRelease(e.d, t, vel), time)
        else transport.schedule((t) => synth.triggerAttackRelease(freq, e.d, t, vel), time)
      }
    }
    transport.start(0)
  }, seconds, 2, 48000)
}
