/** Validation of composer options and control changes: protocol schemas first, then our own checks. */
import {
  BpmSchema, IntensitySchema, KEYS, KeySchema, LIMITS, MODES, ModeSchema, SeedSchema, STYLES, StyleSchema,
  type Controls,
} from '@auralis/protocol'
import { transitionTableProblem } from './ambient/chords.js'
import { CompositionError } from './errors.js'
import { FORMS } from './jazz/forms.js'

/** The allowed values of each option or control, in words (used in {@link CompositionError} messages). */
export const ALLOWED: Readonly<Record<string, string>> = Object.freeze({
  style: STYLES.join(' | '),
  seed: `an integer ${LIMITS.seed.min}–${LIMITS.seed.max}`,
  key: KEYS.join(', '),
  mode: MODES.join(', '),
  bpm: `${LIMITS.bpm.min}–${LIMITS.bpm.max}`,
  intensity: `${LIMITS.intensity.min}–${LIMITS.intensity.max}`,
  swing: `${LIMITS.swing.min}–${LIMITS.swing.max}`,
  barsPerSection: `an integer ${LIMITS.bars.min}–${LIMITS.bars.max}`,
  form: FORMS.join(' | '),
  chart: 'chord symbols separated by |, e.g. "Dm7 | G7 | Cmaj7 | %"',
  transitions: '7 rows of 7 finite weights ≥ 0, each row with a positive sum',
  llm: 'an object with a string `model` and a `generate(request, signal)` method',
  llmTimeoutMs: 'an integer 1–600000 (milliseconds)',
})

function describe(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  let s: string
  try {
    s = JSON.stringify(value) ?? String(value)
  } catch {
    s = Object.prototype.toString.call(value)
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s
}

/** The part of a zod schema used here (avoids a direct dependency on zod). */
interface Schema {
  safeParse(value: unknown): { success: boolean; data?: unknown }
}

function check(field: string, schema: Schema, value: unknown): unknown {
  const r = schema.safeParse(value)
  if (!r.success) throw new CompositionError(field, `got ${describe(value)}`, ALLOWED[field])
  return r.data
}

const CONTROL_SCHEMAS = {
  key: KeySchema, mode: ModeSchema, bpm: BpmSchema, intensity: IntensitySchema, style: StyleSchema, seed: SeedSchema,
} as const

/** A change of controls: any of the five controls, and the seed. */
export type ControlChange = Partial<Controls> & {
  /** New PRNG seed, taking effect from the next section. */
  seed?: number
}

/**
 * Validates a control change.
 * @throws {@link CompositionError} naming the first bad field (or `controls` for an empty or non-object change).
 */
export function validateChange(change: unknown): ControlChange {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw new CompositionError('controls', `got ${describe(change)}`, 'an object with some of key, mode, bpm, intensity, style, seed')
  }
  const out: Record<string, unknown> = {}
  let any = false
  for (const [field, value] of Object.entries(change)) {
    if (value === undefined) continue
    const schema = (CONTROL_SCHEMAS as Record<string, Schema>)[field]
    if (!schema) throw new CompositionError(field, 'is not a control', 'key, mode, bpm, intensity, style, seed')
    out[field] = check(field, schema, value)
    any = true
  }
  if (!any) throw new CompositionError('controls', 'no control given', 'at least one of key, mode, bpm, intensity, style, seed')
  return out as ControlChange
}

/** Validates one option with the named rule (shared by createComposer and restoreComposer). */
export function validateOption(field: string, value: unknown): void {
  switch (field) {
    case 'style': case 'key': case 'mode': case 'bpm': case 'intensity': case 'seed':
      check(field, (CONTROL_SCHEMAS as Record<string, Schema>)[field], value)
      return
    case 'swing':
      if (typeof value !== 'number' || !(value >= LIMITS.swing.min && value <= LIMITS.swing.max)) throw new CompositionError(field, `got ${describe(value)}`, ALLOWED[field])
      return
    case 'barsPerSection':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < LIMITS.bars.min || value > LIMITS.bars.max) throw new CompositionError(field, `got ${describe(value)}`, ALLOWED[field])
      return
    case 'form':
      if (!(FORMS as readonly unknown[]).includes(value)) throw new CompositionError(field, `got ${describe(value)}`, ALLOWED[field])
      return
    case 'transitions': {
      const problem = transitionTableProblem(value)
      if (problem) throw new CompositionError(field, problem, ALLOWED[field])
      return
    }
    case 'llm': {
      const v = value as { model?: unknown; generate?: unknown } | null
      if (typeof v !== 'object' || v === null || typeof v.generate !== 'function' || typeof v.model !== 'string') {
        throw new CompositionError(field, 'is not an LLM section source', ALLOWED[field])
      }
      return
    }
    case 'llmTimeoutMs':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 600_000) throw new CompositionError(field, `got ${describe(value)}`, ALLOWED[field])
      return
    default:
      throw new CompositionError(field, 'is not an option', 'style, seed, key, mode, bpm, intensity, swing, barsPerSection, chart, form, transitions, llm, llmTimeoutMs')
  }
}
