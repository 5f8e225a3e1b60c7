/**
 * An independent, hand-written validator for server messages (test-only). It restates every rule of the
 * protocol without zod, so property tests can check that the zod schemas accept exactly what it accepts.
 */
import { INSTRUMENT_IDS } from './instruments.js'
import { KEYS, MODES, STYLES } from './music.js'

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown, min = -Infinity, max = Infinity): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
const int = (v: unknown, min = -Infinity, max = Infinity): v is number => num(v, min, max) && Number.isSafeInteger(v)
const str = (v: unknown, min = 0, max = Infinity): v is string => typeof v === 'string' && v.length >= min && v.length <= max
const oneOf = (v: unknown, values: readonly unknown[]) => values.includes(v)

/** Exactly these keys (required ones present, optional ones allowed, nothing else). */
function shape(v: unknown, required: string[], optional: string[] = []): v is Obj {
  if (!isObj(v)) return false
  const keys = Object.keys(v)
  if (!required.every((k) => keys.includes(k))) return false
  return keys.every((k) => required.includes(k) || optional.includes(k))
}

function controls(c: unknown): boolean {
  return shape(c, ['key', 'mode', 'bpm', 'intensity', 'style']) &&
    oneOf(c.key, KEYS) && oneOf(c.mode, MODES) && num(c.bpm, 20, 300) && num(c.intensity, 0, 1) && oneOf(c.style, STYLES)
}

function audioFormat(a: unknown): boolean {
  return shape(a, ['codec', 'sampleRate', 'channels']) && oneOf(a.codec, ['opus', 'pcm16']) && int(a.sampleRate, 8000, 192000) && oneOf(a.channels, [1, 2])
}

function hello(h: unknown): boolean {
  if (!shape(h, ['protocol', 'stream', 'kind', 'epoch', 'serverTime', 'controls', 'mode'], ['audio'])) return false
  if (h.protocol !== 1 || !str(h.stream, 1, 128) || !oneOf(h.kind, ['station', 'session'])) return false
  if (!num(h.epoch, 0) || !num(h.serverTime, 0) || !controls(h.controls) || !oneOf(h.mode, ['events', 'audio'])) return false
  if ('audio' in h && !audioFormat(h.audio)) return false
  return h.mode !== 'audio' || 'audio' in h
}

function section(s: unknown): boolean {
  const keys = ['index', 'startTime', 'bar', 'bpm', 'bars', 'beatsPerBar', 'key', 'mode', 'style', 'intensity', 'swing', 'chords', 'events', 'source']
  if (!shape(s, keys, ['tracker'])) return false
  if (!int(s.index, 0) || !num(s.startTime, 0) || !int(s.bar, 0) || !num(s.bpm, 20, 300)) return false
  if (!int(s.bars, 1, 16) || !int(s.beatsPerBar, 1, 12)) return false
  if (!oneOf(s.key, KEYS) || !oneOf(s.mode, MODES) || !oneOf(s.style, STYLES) || !num(s.intensity, 0, 1)) return false
  if (!num(s.swing, 0.5, 0.75) || !oneOf(s.source, ['algorithmic', 'llm', 'fallback'])) return false
  if ('tracker' in s && !str(s.tracker, 0, 262_144)) return false
  const duration = (s.bars * s.beatsPerBar * 60) / s.bpm
  if (!Array.isArray(s.chords) || s.chords.length > 192) return false
  for (const c of s.chords) {
    if (!shape(c, ['bar', 'beat', 'symbol']) || !int(c.bar, 0, 15) || !num(c.beat, 0, 12) || !str(c.symbol, 1, 32)) return false
    if (c.bar >= s.bars || c.beat >= s.beatsPerBar) return false
  }
  if (!Array.isArray(s.events) || s.events.length > 8192) return false
  let last = -Infinity
  for (const e of s.events) {
    if (!shape(e, ['t', 'd', 'inst', 'note', 'vel'])) return false
    if (!num(e.t, 0) || !num(e.d) || e.d <= 0 || !oneOf(e.inst, INSTRUMENT_IDS) || !int(e.note, 0, 127) || !int(e.vel, 1, 127)) return false
    if (e.t < last || e.t >= duration) return false
    last = e.t
  }
  return true
}

function audio(a: unknown): boolean {
  if (!shape(a, ['seq', 'startTime', 'codec', 'sampleRate', 'channels', 'frames', 'data'])) return false
  if (!int(a.seq, 0) || !num(a.startTime, 0) || !oneOf(a.codec, ['opus', 'pcm16']) || !int(a.sampleRate, 8000, 192000)) return false
  if (!oneOf(a.channels, [1, 2]) || !int(a.frames, 1, 192000) || typeof a.data !== 'string') return false
  const d = a.data
  if (d.length > 2_000_000 || d.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(d)) return false
  const bytes = (d.length / 4) * 3 - (d.endsWith('==') ? 2 : d.endsWith('=') ? 1 : 0)
  return a.codec === 'pcm16' ? bytes === a.frames * (a.channels as number) * 2 : bytes > 0
}

const PAYLOAD: Record<string, (d: unknown) => boolean> = {
  hello,
  section,
  controls: (c) => shape(c, ['controls', 'bar', 'time']) && controls(c.controls) && int(c.bar, 0) && num(c.time, 0),
  audio,
  reset: (r) => shape(r, ['reason']) && str(r.reason, 0, 512),
  error: (e) => shape(e, ['code', 'message']) && str(e.code, 1, 64) && str(e.message, 0, 2048),
}

/** Whether `m` (a JSON value) is a valid server message, by an independent restatement of the rules. */
export function isValidServerMessage(m: unknown): boolean {
  if (!shape(m, ['type', 'data']) || typeof m.type !== 'string' || !Object.hasOwn(PAYLOAD, m.type)) return false
  return PAYLOAD[m.type](m.data)
}
