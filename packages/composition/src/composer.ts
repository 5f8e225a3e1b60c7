/**
 * The composer: a seeded, deterministic stream of sections in one of the styles, steered by controls that
 * apply from the next section, with snapshots that restore exactly.
 */
import {
  KEYS, MODES, NoteEventSchema, sectionDuration, STYLES,
  type Controls, type Key, type Mode, type NoteEvent, type Section, type Style,
} from '@auralis/protocol'
import { composeAmbient, initialAmbientState, type AmbientState } from './ambient/index.js'
import type { TransitionTable } from './ambient/chords.js'
import { CompositionError } from './errors.js'
import { composeJazz, initialJazzState, type JazzState } from './jazz/index.js'
import { parseChart, type FormName } from './jazz/forms.js'
import type { LlmSectionRequest, LlmSectionSource } from './llm-types.js'
import { validateChange, validateOption, type ControlChange } from './options.js'
import { Rng, type RngState } from './rng.js'
import { toTracker } from './tracker/index.js'

/** Options of {@link createComposer}. */
export interface ComposerOptions {
  /** `ambient` or `jazz`. */
  style: Style
  /** PRNG seed, an unsigned 32-bit integer. */
  seed: number
  /** Key root (12 roots, either spelling). */
  key: Key
  /** One of the seven diatonic modes. In jazz, minor modes pick the minor ii–V–i and the minor blues. */
  mode: Mode
  /** Tempo, 20–300 BPM. */
  bpm: number
  /** Intensity 0–1: density, velocity and register follow it. */
  intensity: number
  /** Jazz swing ratio for off-beat eighths, 0.5 (straight) – 0.75; default 0.67. Ambient plays straight. */
  swing?: number
  /** Bars per section, 1–16; default 2. */
  barsPerSection?: number
  /** A jazz chord chart (`Dm7 | G7 | Cmaj7 | %`), written in `key`; transposed when the key control changes. */
  chart?: string
  /** A built-in jazz form when there is no chart: `ii-V-I` (cycling through keys), `blues` (default), `rhythm-changes`. */
  form?: FormName
  /** The ambient Markov transition table (7×7 weights over scale degrees). */
  transitions?: TransitionTable
  /** An LLM section source for jazz sections ({@link Composer.nextAsync}); never serialised. */
  llm?: LlmSectionSource
  /** How long {@link Composer.nextAsync} waits for the LLM before falling back, in ms; default 20000. */
  llmTimeoutMs?: number
}

/** Where a control change takes effect. */
export interface ControlsApplied {
  /** First stream bar composed with the new controls. */
  bar: number
  /** Start of that bar, seconds since the stream's epoch. */
  time: number
}

/** A composer's full state as plain JSON: restore it with {@link restoreComposer}. Holds no LLM source or key. */
export interface ComposerSnapshot {
  /** Snapshot format version. */
  version: 1
  /** The seed last set. */
  seed: number
  /** Controls in force for the next section. */
  controls: Controls
  /** Fixed settings. */
  settings: {
    swing: number
    barsPerSection: number
    beatsPerBar: number
    form: FormName
    chart: string[][] | null
    chartKey: string | null
    transitions: number[][] | null
    llmTimeoutMs: number
  }
  /** PRNG state. */
  rng: RngState
  /** Index of the next section. */
  index: number
  /** Stream bar number of the next section. */
  bar: number
  /** Start of the next section, seconds since the epoch. */
  time: number
  /** Ambient generator state. */
  ambient: AmbientState
  /** Jazz generator state. */
  jazz: JazzState
  /** Tracker text of the last section (the LLM's context), or null. */
  previousTracker: string | null
}

/** A running composer. */
export interface Composer {
  /** The controls in force for the next section (a copy). */
  readonly controls: Controls
  /** Composes the next section (algorithmic). */
  next(): Section
  /**
   * Composes the next section; for jazz with an LLM source configured, asks the LLM for its notes and falls
   * back to the algorithmic section (source `fallback`) on any failure or timeout. The section's slot (index,
   * time, chords) is fixed when called, so calls may overlap.
   */
  nextAsync(signal?: AbortSignal): Promise<Section>
  /**
   * Changes controls from the next bar not yet composed (the next section's first bar).
   * @throws {@link CompositionError} naming a bad field.
   */
  set(change: ControlChange): ControlsApplied
  /** The composer's state as plain JSON (no LLM source, no key). */
  snapshot(): ComposerSnapshot
}

interface Internal {
  seed: number
  controls: Controls
  settings: ComposerSnapshot['settings']
  rng: Rng
  index: number
  bar: number
  time: number
  ambient: AmbientState
  jazz: JazzState
  previousTracker: string | null
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

function validLlmEvents(events: unknown, duration: number): NoteEvent[] {
  if (!Array.isArray(events)) return []
  const out: NoteEvent[] = []
  for (const e of events) {
    const r = NoteEventSchema.safeParse(e)
    if (r.success && r.data.t < duration) out.push(r.data)
  }
  return out.sort((a, b) => a.t - b.t)
}

class ComposerImpl implements Composer {
  private s: Internal
  private readonly llm: LlmSectionSource | undefined

  constructor(state: Internal, llm: LlmSectionSource | undefined) {
    this.s = state
    this.llm = llm
  }

  get controls(): Controls {
    return { ...this.s.controls }
  }

  next(): Section {
    const s = this.s
    const c = { ...s.controls }
    const bars = s.settings.barsPerSection
    const beatsPerBar = s.settings.beatsPerBar
    let chords: Section['chords']
    let events: NoteEvent[]
    let swing = 0.5
    if (c.style === 'jazz') {
      swing = s.settings.swing
      const r = composeJazz(s.rng, c, {
        bars, beatsPerBar, swing, form: s.settings.form, chart: s.settings.chart, chartKey: s.settings.chartKey ?? c.key,
      }, s.jazz)
      chords = r.chords
      events = r.events
      s.jazz = r.state
    } else {
      const r = composeAmbient(s.rng, c, { bars, beatsPerBar, transitions: s.settings.transitions ?? undefined }, s.ambient)
      chords = r.chords
      events = r.events
      s.ambient = r.state
    }
    const section: Section = {
      index: s.index, startTime: s.time, bar: s.bar, bpm: c.bpm, bars, beatsPerBar, key: c.key, mode: c.mode,
      style: c.style, intensity: c.intensity, swing, chords, events, source: 'algorithmic',
    }
    section.tracker = toTracker(section)
    s.previousTracker = section.tracker
    s.index += 1
    s.bar += bars
    s.time += sectionDuration(section)
    return section
  }

  async nextAsync(signal?: AbortSignal): Promise<Section> {
    const previousTracker = this.s.previousTracker
    const section = this.next()
    const llm = this.llm
    if (!llm || section.style !== 'jazz') return section
    const request: LlmSectionRequest = {
      bpm: section.bpm, bars: section.bars, beatsPerBar: section.beatsPerBar, stepsPerBeat: 4, swing: section.swing,
      key: section.key, mode: section.mode, chords: section.chords.map((ch) => ({ ...ch })),
      ...(previousTracker !== null ? { previousTracker } : {}),
    }
    const controller = new AbortController()
    const onAbort = () => controller.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      if (signal?.aborted) throw new Error('aborted')
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new Error('LLM section timed out'))
          reject(new Error('LLM section timed out'))
        }, this.s.settings.llmTimeoutMs)
      })
      const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))
      const reply = await Promise.race([llm.generate(request, controller.signal), timeout, aborted])
      const events = validLlmEvents(reply?.events, sectionDuration(section))
      if (events.length === 0 || typeof reply.tracker !== 'string') throw new Error('LLM section empty')
      const out: Section = { ...section, events, tracker: reply.tracker.slice(0, 262_144), source: 'llm' }
      if (this.s.previousTracker === section.tracker) this.s.previousTracker = out.tracker ?? null
      return out
    } catch {
      return { ...section, source: 'fallback' }
    } finally {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  set(change: ControlChange): ControlsApplied {
    const v = validateChange(change)
    const { seed, ...controls } = v
    this.s.controls = { ...this.s.controls, ...controls }
    if (seed !== undefined) {
      this.s.seed = seed
      this.s.rng = new Rng(seed)
    }
    return { bar: this.s.bar, time: this.s.time }
  }

  snapshot(): ComposerSnapshot {
    const s = this.s
    return clone({
      version: 1 as const, seed: s.seed, controls: s.controls, settings: s.settings, rng: s.rng.state(),
      index: s.index, bar: s.bar, time: s.time, ambient: s.ambient, jazz: s.jazz, previousTracker: s.previousTracker,
    })
  }
}

const OPTION_FIELDS = ['style', 'seed', 'key', 'mode', 'bpm', 'intensity']

/**
 * Creates a composer.
 * @throws {@link CompositionError} naming the first invalid option and its allowed range.
 */
export function createComposer(options: ComposerOptions): Composer {
  if (typeof options !== 'object' || options === null) throw new CompositionError('options', 'must be an object', 'an object with style, seed, key, mode, bpm, intensity')
  for (const f of OPTION_FIELDS) validateOption(f, (options as unknown as Record<string, unknown>)[f])
  for (const [f, v] of Object.entries(options)) {
    if (v === undefined || OPTION_FIELDS.includes(f) || f === 'chart') continue
    validateOption(f, v)
  }
  const chart = options.chart !== undefined ? parseChart(options.chart) : null
  const settings: ComposerSnapshot['settings'] = {
    swing: options.swing ?? 0.67,
    barsPerSection: options.barsPerSection ?? 2,
    beatsPerBar: 4,
    form: options.form ?? 'blues',
    chart,
    chartKey: chart ? options.key : null,
    transitions: options.transitions ? options.transitions.map((r) => [...r]) : null,
    llmTimeoutMs: options.llmTimeoutMs ?? 20_000,
  }
  const { style, key, mode, bpm, intensity, seed } = options
  return new ComposerImpl({
    seed, controls: { key, mode, bpm, intensity, style }, settings, rng: new Rng(seed), index: 0, bar: 0, time: 0,
    ambient: initialAmbientState(), jazz: initialJazzState(), previousTracker: null,
  }, options.llm)
}

function bad(problem: string): never {
  throw new CompositionError('snapshot', problem, 'a value returned by Composer.snapshot()')
}

const isInt = (v: unknown, min = 0) => typeof v === 'number' && Number.isInteger(v) && v >= min
const isNotes = (v: unknown) => v === null || (Array.isArray(v) && v.every((n) => isInt(n) && n <= 127))

/**
 * Restores a composer from {@link Composer.snapshot}; it continues exactly where the snapshot was taken.
 * @throws {@link CompositionError} (field `snapshot`, or the bad control) for a malformed snapshot.
 */
export function restoreComposer(snapshot: ComposerSnapshot, options: { llm?: LlmSectionSource } = {}): Composer {
  const snap = (typeof snapshot === 'string' ? JSON.parse(snapshot) : snapshot) as ComposerSnapshot
  if (typeof snap !== 'object' || snap === null) bad('not an object')
  if (snap.version !== 1) bad(`unknown version ${String(snap.version)}`)
  validateOption('seed', snap.seed)
  const c = snap.controls ?? bad('no controls')
  for (const f of ['style', 'key', 'mode', 'bpm', 'intensity']) validateOption(f, (c as Record<string, unknown>)[f])
  const st = snap.settings ?? bad('no settings')
  validateOption('swing', st.swing)
  validateOption('barsPerSection', st.barsPerSection)
  validateOption('form', st.form)
  validateOption('llmTimeoutMs', st.llmTimeoutMs)
  if (st.beatsPerBar !== 4) bad('settings.beatsPerBar must be 4')
  if (st.transitions !== null) validateOption('transitions', st.transitions)
  if (st.chart !== null) {
    if (!Array.isArray(st.chart) || !st.chart.length) bad('settings.chart must be bars of chord symbols')
    parseChart(st.chart.map((b) => (Array.isArray(b) ? b.join(' ') : '')).join(' | '))
    if (typeof st.chartKey !== 'string' || !(KEYS as readonly string[]).includes(st.chartKey)) bad('settings.chartKey must be a key')
  }
  if (!Array.isArray(snap.rng) || snap.rng.length !== 4 || !snap.rng.every((x) => isInt(x) && x <= 0xffffffff)) bad('rng must be 4 unsigned 32-bit integers')
  if (!isInt(snap.index) || !isInt(snap.bar)) bad('index and bar must be integers ≥ 0')
  if (typeof snap.time !== 'number' || !Number.isFinite(snap.time) || snap.time < 0) bad('time must be a finite number ≥ 0')
  const a = snap.ambient ?? bad('no ambient state')
  if (!isNotes(a.padVoicing) || !(a.melodyNote === null || isInt(a.melodyNote)) || !(a.bassNote === null || isInt(a.bassNote))) bad('ambient state is malformed')
  if (a.markov !== null && (!isInt(a.markov?.degree) || a.markov.degree > 6 || !isInt(a.markov.held))) bad('ambient.markov is malformed')
  const j = snap.jazz ?? bad('no jazz state')
  if (!isInt(j.formBar) || !isNotes(j.pianoVoicing) || !(j.bassNote === null || isInt(j.bassNote)) || !(j.plannedBass === null || isInt(j.plannedBass))) bad('jazz state is malformed')
  if (typeof j.sax !== 'object' || j.sax === null || typeof j.sax.restBeats !== 'number' || !(j.sax.direction === 1 || j.sax.direction === -1)) bad('jazz.sax is malformed')
  if (snap.previousTracker !== null && typeof snap.previousTracker !== 'string') bad('previousTracker must be a string or null')
  if (options.llm !== undefined) validateOption('llm', options.llm)
  const s = clone(snap)
  return new ComposerImpl({
    seed: s.seed, controls: s.controls, settings: s.settings, rng: new Rng(s.rng), index: s.index, bar: s.bar,
    time: s.time, ambient: s.ambient, jazz: s.jazz, previousTracker: s.previousTracker,
  }, options.llm)
}

/** Every style, mode and key the composer accepts (re-exported for UIs). */
export const COMPOSER_CHOICES = Object.freeze({ styles: STYLES, modes: MODES, keys: KEYS })
