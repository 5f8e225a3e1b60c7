/**
 * Schemas for the musical vocabulary: keys, modes, styles, controls, note events, chords and sections.
 * Types are derived from the schemas, so the schema is the single source of truth.
 */
import * as z from 'zod'
import { INSTRUMENT_IDS } from './instruments.js'

/** Protocol version carried in `hello`. Bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1

/** Bounds shared by every schema (and by generators that must stay inside them). */
export const LIMITS = Object.freeze({
  bpm: { min: 20, max: 300 },
  intensity: { min: 0, max: 1 },
  note: { min: 0, max: 127 },
  velocity: { min: 1, max: 127 },
  bars: { min: 1, max: 16 },
  beatsPerBar: { min: 1, max: 12 },
  swing: { min: 0.5, max: 0.75 },
  eventsPerSection: 8192,
  trackerChars: 262_144,
  seed: { min: 0, max: 0xffff_ffff },
})

/** The 12 roots, with both enharmonic spellings where a key is commonly written either way. */
export const KEYS = ['C', 'C#', 'Db', 'D', 'D#', 'Eb', 'E', 'F', 'F#', 'Gb', 'G', 'G#', 'Ab', 'A', 'A#', 'Bb', 'B'] as const
/** The seven diatonic modes. */
export const MODES = ['ionian', 'dorian', 'phrygian', 'lydian', 'mixolydian', 'aeolian', 'locrian'] as const
/** Composition styles a stream can play. */
export const STYLES = ['ambient', 'jazz'] as const

/** Key root schema. */
export const KeySchema = z.enum(KEYS)
/** Mode schema. */
export const ModeSchema = z.enum(MODES)
/** Style schema. */
export const StyleSchema = z.enum(STYLES)
/** Instrument id schema. */
export const InstrumentIdSchema = z.enum(INSTRUMENT_IDS)
/** Tempo in beats per minute, 20–300. */
export const BpmSchema = z.number().min(LIMITS.bpm.min).max(LIMITS.bpm.max)
/** Intensity 0–1: density, velocity and register of the music follow it. */
export const IntensitySchema = z.number().min(0).max(1)
/** PRNG seed: an unsigned 32-bit integer. */
export const SeedSchema = z.number().int().min(LIMITS.seed.min).max(LIMITS.seed.max)

/** Key root. */
export type Key = z.infer<typeof KeySchema>
/** Diatonic mode. */
export type Mode = z.infer<typeof ModeSchema>
/** Composition style. */
export type Style = z.infer<typeof StyleSchema>

/**
 * One note: `t` seconds from the section start, `d` seconds long, played by instrument `inst`
 * at MIDI `note` (0–127) with velocity `vel` (1–127).
 */
export const NoteEventSchema = z.strictObject({
  t: z.number().min(0),
  d: z.number().positive(),
  inst: InstrumentIdSchema,
  note: z.number().int().min(LIMITS.note.min).max(LIMITS.note.max),
  vel: z.number().int().min(LIMITS.velocity.min).max(LIMITS.velocity.max),
})
/** A note event. */
export type NoteEvent = z.infer<typeof NoteEventSchema>

/** A chord symbol placed at a bar and beat (both 0-based) of its section. */
export const ChordSchema = z.strictObject({
  bar: z.number().int().min(0).max(LIMITS.bars.max - 1),
  beat: z.number().min(0).max(LIMITS.beatsPerBar.max),
  symbol: z.string().min(1).max(32),
})
/** A chord placed in a section. */
export type Chord = z.infer<typeof ChordSchema>

/** The controls of a stream, all fields present. */
export const ControlsSchema = z.strictObject({
  key: KeySchema,
  mode: ModeSchema,
  bpm: BpmSchema,
  intensity: IntensitySchema,
  style: StyleSchema,
})
/** Controls in force on a stream. */
export type Controls = z.infer<typeof ControlsSchema>

/** A client's request to change some controls (at least one field). */
export const ControlsRequestSchema = ControlsSchema.partial().refine(
  (c) => Object.values(c).some((v) => v !== undefined),
  { message: 'at least one of key, mode, bpm, intensity, style is required' },
)
/** A controls change request. */
export type ControlsRequest = z.infer<typeof ControlsRequestSchema>

/** Where a section's notes came from. */
export const SectionSourceSchema = z.enum(['algorithmic', 'llm', 'fallback'])

/** Length of a section in seconds. */
export function sectionDuration(s: { bpm: number; bars: number; beatsPerBar: number }): number {
  return (s.bars * s.beatsPerBar * 60) / s.bpm
}

/**
 * One section of music (1–2 bars typically, up to 16): timing, harmony, notes and optional tracker text.
 * Events are sorted by `t` and start inside the section (a note may ring past its end).
 */
export const SectionSchema = z
  .strictObject({
    /** Sequence number of the section within its stream, from 0. */
    index: z.number().int().min(0),
    /** Start in seconds since the stream's epoch. */
    startTime: z.number().min(0),
    /** Bar number (from 0) of the section's first bar within the stream. */
    bar: z.number().int().min(0),
    bpm: BpmSchema,
    bars: z.number().int().min(LIMITS.bars.min).max(LIMITS.bars.max),
    beatsPerBar: z.number().int().min(LIMITS.beatsPerBar.min).max(LIMITS.beatsPerBar.max),
    key: KeySchema,
    mode: ModeSchema,
    style: StyleSchema,
    intensity: IntensitySchema,
    /** Swing ratio applied to off-beat eighths (0.5 = straight). */
    swing: z.number().min(LIMITS.swing.min).max(LIMITS.swing.max),
    chords: z.array(ChordSchema).max(LIMITS.bars.max * LIMITS.beatsPerBar.max),
    events: z.array(NoteEventSchema).max(LIMITS.eventsPerSection),
    tracker: z.string().max(LIMITS.trackerChars).optional(),
    source: SectionSourceSchema,
  })
  .superRefine((s, ctx) => {
    const duration = sectionDuration(s)
    for (let i = 0; i < s.events.length; i++) {
      const e = s.events[i]
      if (i > 0 && e.t < s.events[i - 1].t) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 't'], message: 'events must be sorted by t' })
        return
      }
      if (e.t >= duration) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 't'], message: `event starts after the section ends (${duration.toFixed(3)} s)` })
        return
      }
    }
    for (let i = 0; i < s.chords.length; i++) {
      const c = s.chords[i]
      if (c.bar >= s.bars) {
        ctx.addIssue({ code: 'custom', path: ['chords', i, 'bar'], message: `chord bar must be < bars (${s.bars})` })
        return
      }
      if (c.beat >= s.beatsPerBar) {
        ctx.addIssue({ code: 'custom', path: ['chords', i, 'beat'], message: `chord beat must be < beatsPerBar (${s.beatsPerBar})` })
        return
      }
    }
  })
/** A section of music. */
export type Section = z.infer<typeof SectionSchema>
