import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { arbClientMessage, arbMessageOf, arbServerMessage } from './arbitraries.test-util.js'
import { sampleAudio, sampleHello, sampleMessages, sampleSection } from './fixtures.test-util.js'
import { isValidServerMessage } from './oracle.test-util.js'
import { ProtocolError } from './errors.js'
import { ServerMessageSchema, SERVER_MESSAGE_TYPES, type ServerMessage } from './messages.js'
import { parseClientMessage, parseMessage, parseSseEvent, parseWith } from './validate.js'
import { audioChunkToMessage } from './audio.js'
import { ControlsRequestSchema } from './music.js'

/** Runs `fn` and returns the ProtocolError it throws (failing the test if it throws nothing or anything else). */
function protocolError(fn: () => unknown): ProtocolError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError)
    return err as ProtocolError
  }
  throw new Error('expected a ProtocolError, but the call succeeded')
}

type Path = (string | number)[]

function setAt(root: unknown, path: Path, value: unknown): void {
  let node = root as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path[path.length - 1]
  if (value === DELETE) delete node[last]
  else node[last] = value
}
const DELETE = Symbol('delete')

describe('parseMessage: round-trip of every message type', () => {
  for (const type of SERVER_MESSAGE_TYPES) {
    it(`${type}: a valid value, and its JSON text, parse back to an equal message`, () => {
      fc.assert(
        fc.property(arbMessageOf[type], (message) => {
          expect(parseMessage(message)).toEqual(message)
          expect(parseMessage(JSON.stringify(message))).toEqual(message)
          expect(parseSseEvent(message.type, JSON.stringify(message.data))).toEqual(message)
        }),
        { numRuns: 150 },
      )
    })
  }

  it('client controls requests round-trip through parseClientMessage', () => {
    fc.assert(
      fc.property(arbClientMessage, (m) => {
        expect(parseClientMessage(JSON.stringify(m))).toEqual(m)
      }),
    )
  })

  it('accepts the realistic samples', () => {
    for (const m of sampleMessages()) expect(parseMessage(JSON.stringify(m))).toEqual(m)
  })

  it('the schema exports to JSON Schema (zod 4 toJSONSchema)', () => {
    const schema = z.toJSONSchema(ServerMessageSchema, { unrepresentable: 'any' }) as { oneOf?: unknown[]; anyOf?: unknown[] }
    expect((schema.oneOf ?? schema.anyOf)?.length).toBe(SERVER_MESSAGE_TYPES.length)
  })
})

/**
 * Every bound of the protocol, tested on both sides of the edge. `base` builds a valid message; `path` is the
 * field (below `data`) to change; `ok` values must pass, `bad` values must fail with `ProtocolError.path`
 * pointing at the field (or at `errorPath` for rules checked across fields).
 */
interface Bound {
  name: string
  base: () => ServerMessage
  path: Path
  ok: unknown[]
  bad: unknown[]
  errorPath?: Path
}

const section = (tweak: (s: ReturnType<typeof sampleSection>) => void = () => {}): ServerMessage => {
  const data = sampleSection()
  tweak(data)
  return { type: 'section', data }
}
// A one-bar 4/4 section at 120 bpm (2 s long) with two events at t = 0.5 and t = 1.
const small = () =>
  section((s) => {
    Object.assign(s, { bpm: 120, bars: 1, beatsPerBar: 4, chords: [{ bar: 0, beat: 0, symbol: 'C' }] })
    s.events = [
      { t: 0.5, d: 0.25, inst: 'piano', note: 60, vel: 80 },
      { t: 1, d: 0.25, inst: 'bass', note: 36, vel: 80 },
    ]
  })
// The same with events at t = 0.1 and 0.2, inside the section at any tempo (≥ 0.8 s long).
const tiny = () =>
  section((s) => {
    Object.assign(s, { bpm: 120, bars: 1, beatsPerBar: 4, chords: [] })
    s.events = [
      { t: 0.1, d: 0.25, inst: 'piano', note: 60, vel: 80 },
      { t: 0.2, d: 0.25, inst: 'bass', note: 36, vel: 80 },
    ]
  })
const controlsMsg = (): ServerMessage => ({ type: 'controls', data: { controls: { key: 'C', mode: 'ionian', bpm: 100, intensity: 0.5, style: 'ambient' }, bar: 0, time: 0 } })
const hello = (): ServerMessage => ({ type: 'hello', data: sampleHello() })
const audio = (): ServerMessage => ({ type: 'audio', data: sampleAudio() })
const pcm = (frames: number, channels: 1 | 2, bytes: number): ServerMessage => ({
  type: 'audio',
  data: audioChunkToMessage({ seq: 0, startTime: 0, codec: 'pcm16', sampleRate: 48_000, channels, frames, bytes: new Uint8Array(bytes) }),
})

const BOUNDS: Bound[] = [
  { name: 'note (MIDI 0–127, integer)', base: small, path: ['events', 0, 'note'], ok: [0, 1, 126, 127], bad: [-1, 128, 60.5, '60', null] },
  { name: 'velocity (1–127, integer)', base: small, path: ['events', 0, 'vel'], ok: [1, 2, 126, 127], bad: [0, 128, -1, 64.5] },
  { name: 'duration d > 0', base: small, path: ['events', 0, 'd'], ok: [Number.MIN_VALUE, 1e-9, 30], bad: [0, -0, -1e-9, -0.5, Infinity] },
  { name: 'event start t ≥ 0', base: small, path: ['events', 0, 't'], ok: [0, 1e-9], bad: [-1e-9, -1] },
  { name: 'event start t < section length (2 s)', base: small, path: ['events', 1, 't'], ok: [1.999999], bad: [2, 2.5], errorPath: ['events', 1, 't'] },
  { name: 'events sorted by t', base: small, path: ['events', 1, 't'], ok: [0.5, 0.500001], bad: [0.499999, 0], errorPath: ['events', 1, 't'] },
  { name: 'event instrument id', base: small, path: ['events', 0, 'inst'], ok: ['pad', 'swell'], bad: ['kazoo', '', 'Pad', 3] },
  { name: 'section bpm (20–300)', base: tiny, path: ['bpm'], ok: [20, 20.000001, 299.99, 300], bad: [19.999999, 19, 300.000001, 301, 0, -120] },
  { name: 'controls bpm (20–300)', base: controlsMsg, path: ['controls', 'bpm'], ok: [20, 300], bad: [19, 19.99, 300.01, 301] },
  { name: 'hello controls bpm (20–300)', base: hello, path: ['controls', 'bpm'], ok: [20, 300], bad: [19, 301] },
  { name: 'section intensity (0–1)', base: small, path: ['intensity'], ok: [0, 1e-9, 0.999999, 1], bad: [-1e-9, -0.1, 1.000001, 2] },
  { name: 'controls intensity (0–1)', base: controlsMsg, path: ['controls', 'intensity'], ok: [0, 1], bad: [-0.01, 1.01] },
  { name: 'bars (1–16)', base: () => section((s) => (s.events = [])), path: ['bars'], ok: [2, 16], bad: [0, 17, 1.5] },
  { name: 'beatsPerBar (1–12)', base: () => section((s) => ((s.events = []), (s.chords = []))), path: ['beatsPerBar'], ok: [1, 12], bad: [0, 13] },
  { name: 'swing (0.5–0.75)', base: small, path: ['swing'], ok: [0.5, 0.75], bad: [0.49, 0.76] },
  { name: 'chord bar inside the section', base: small, path: ['chords', 0, 'bar'], ok: [0], bad: [1, -1] },
  { name: 'chord beat inside the bar', base: small, path: ['chords', 0, 'beat'], ok: [0, 3.99], bad: [4, -0.5] },
  { name: 'section index ≥ 0', base: small, path: ['index'], ok: [0], bad: [-1, 0.5] },
  { name: 'section key', base: small, path: ['key'], ok: ['C', 'F#', 'Bb'], bad: ['H', 'c', ''] },
  { name: 'section tracker (optional string)', base: small, path: ['tracker'], ok: ['', 'x\ny', DELETE], bad: [3, null] },
  { name: 'section: no unknown keys', base: small, path: ['extra'], ok: [DELETE], bad: [1], errorPath: [] },
  { name: 'hello protocol version', base: hello, path: ['protocol'], ok: [1], bad: [0, 2, '1'] },
  { name: 'hello stream (1–128 chars)', base: hello, path: ['stream'], ok: ['a', 'x'.repeat(128)], bad: ['', 'x'.repeat(129)] },
  { name: 'hello epoch ≥ 0', base: hello, path: ['epoch'], ok: [0], bad: [-1] },
  { name: 'hello audio required in audio mode', base: () => ({ type: 'hello', data: { ...sampleHello(), mode: 'audio' } }) as ServerMessage, path: ['audio'], ok: [{ codec: 'opus', sampleRate: 48_000, channels: 2 }], bad: [DELETE, null] },
  { name: 'hello audio format codec', base: () => ({ type: 'hello', data: { ...sampleHello(), mode: 'audio', audio: { codec: 'opus', sampleRate: 48_000, channels: 2 } } }) as ServerMessage, path: ['audio', 'codec'], ok: ['opus', 'pcm16'], bad: ['mp3', ''] },
  { name: 'controls message bar ≥ 0', base: controlsMsg, path: ['bar'], ok: [0, 7], bad: [-1, 1.5] },
  { name: 'controls message time ≥ 0', base: controlsMsg, path: ['time'], ok: [0, 1.5], bad: [-0.001] },
  { name: 'audio seq ≥ 0 (integer)', base: audio, path: ['seq'], ok: [0, Number.MAX_SAFE_INTEGER], bad: [-1, 1.5] },
  { name: 'audio sampleRate (8000–192000)', base: audio, path: ['sampleRate'], ok: [8000, 192_000], bad: [7999, 192_001] },
  { name: 'audio frames (1–192000)', base: audio, path: ['frames'], ok: [1, 192_000], bad: [0, 192_001] },
  { name: 'audio channels (1 or 2)', base: audio, path: ['channels'], ok: [1, 2], bad: [0, 3] },
  { name: 'audio startTime ≥ 0', base: audio, path: ['startTime'], ok: [0], bad: [-0.1] },
  { name: 'audio data is base64', base: audio, path: ['data'], ok: ['AAA=', 'AA==', 'AAAA'], bad: ['', 'AAA', 'AA=A', 'A===', '@@@@', 'AAAA\n'] },
  { name: 'pcm16 data is frames × channels × 2 bytes', base: () => pcm(10, 2, 40), path: ['frames'], ok: [10], bad: [9, 11], errorPath: ['data'] },
  { name: 'reset reason (≤ 512 chars)', base: () => ({ type: 'reset', data: { reason: '' } }), path: ['reason'], ok: ['', 'x'.repeat(512)], bad: ['x'.repeat(513), null] },
  { name: 'error code (1–64 chars)', base: () => ({ type: 'error', data: { code: 'x', message: '' } }), path: ['code'], ok: ['x', 'x'.repeat(64)], bad: ['', 'x'.repeat(65)] },
]

describe('parseMessage: every bound, on both sides of the edge', () => {
  for (const bound of BOUNDS) {
    it(bound.name, () => {
      for (const value of bound.ok) {
        const m = bound.base()
        setAt(m.data, bound.path, value)
        expect(() => parseMessage(m), `${String(value)} should pass`).not.toThrow()
        expect(() => parseMessage(JSON.stringify(m)), `${String(value)} should pass as JSON`).not.toThrow()
      }
      for (const value of bound.bad) {
        const m = bound.base()
        setAt(m.data, bound.path, value)
        const err = protocolError(() => parseMessage(m))
        expect(err.path, `${String(value)}: ${err.message}`).toEqual(['data', ...(bound.errorPath ?? bound.path)])
        expect(isValidServerMessage(m), `oracle agrees ${String(value)} is invalid`).toBe(false)
      }
    })
  }

  it('names the path and the rule in the message', () => {
    const m = small()
    setAt(m.data, ['events', 1, 'vel'], 0)
    const err = protocolError(() => parseMessage(m))
    expect(err.message).toMatch(/^data\.events\.1\.vel: .*1/)
    expect(err.issues.length).toBeGreaterThanOrEqual(1)
    expect(err.name).toBe('ProtocolError')
  })

  it('the mutations named in the brief: velocity 0, note 128, bpm 19, unsorted events, negative duration', () => {
    const cases: [Path, unknown, Path][] = [
      [['events', 0, 'vel'], 0, ['events', 0, 'vel']],
      [['events', 1, 'note'], 128, ['events', 1, 'note']],
      [['bpm'], 19, ['bpm']],
      [['events', 1, 't'], 0.25, ['events', 1, 't']],
      [['events', 0, 'd'], -0.25, ['events', 0, 'd']],
    ]
    for (const [path, value, errorPath] of cases) {
      const m = small()
      setAt(m.data, path, value)
      expect(protocolError(() => parseMessage(m)).path).toEqual(['data', ...errorPath])
    }
  })

  it('controls requests need at least one field and respect the same bounds', () => {
    expect(protocolError(() => parseWith(ControlsRequestSchema, {})).message).toMatch(/at least one/)
    expect(parseWith(ControlsRequestSchema, { bpm: 20 })).toEqual({ bpm: 20 })
    expect(protocolError(() => parseWith(ControlsRequestSchema, { bpm: 19 })).path).toEqual(['bpm'])
    expect(protocolError(() => parseClientMessage({ type: 'controls', data: { intensity: 1.5 } })).path).toEqual(['data', 'intensity'])
    expect(protocolError(() => parseClientMessage({ type: 'controls', data: { volume: 1 } })).path).toEqual(['data'])
  })
})

describe('parseMessage: hostile input', () => {
  it('random JSON values and their text never throw anything but ProtocolError, and never pass invalid data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const input of [value, JSON.stringify(value)]) {
          try {
            const parsed = parseMessage(input)
            expect(isValidServerMessage(parsed)).toBe(true)
          } catch (err) {
            expect(err).toBeInstanceOf(ProtocolError)
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it('random strings never throw anything but ProtocolError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(() => parseMessage(s)).toThrow(ProtocolError)
      }),
      { numRuns: 500 },
    )
  })

  it('any JavaScript value (fc.anything) never throws anything but ProtocolError', () => {
    const hostile = fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true, withUnicodeString: true })
    fc.assert(
      fc.property(hostile, (value) => {
        try {
          parseMessage(value)
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('getters that throw, proxies and cycles come out as ProtocolError', () => {
    const throwing = { type: 'reset', get data(): unknown { throw new TypeError('boom') } }
    expect(() => parseMessage(throwing)).toThrow(ProtocolError)
    const proxy = new Proxy({}, { get: () => { throw new Error('trap') }, ownKeys: () => { throw new Error('trap') } })
    expect(() => parseMessage(proxy)).toThrow(ProtocolError)
    const cyclic: Record<string, unknown> = { type: 'reset' }
    cyclic.data = cyclic
    expect(() => parseMessage(cyclic)).toThrow(ProtocolError)
    expect(() => parseMessage('{"type":"reset","data":{"reason":"x"}')).toThrow(/invalid JSON/)
    expect(() => parseSseEvent('reset', 'not json')).toThrow(ProtocolError)
  })

  it('valid messages with one random field mutated: accepted exactly when the independent oracle accepts', () => {
    const interesting = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(-1, 0, 1, 0.5, 1.5, 19, 20, 127, 128, 300, 301, 8000, 192_000, 192_001, 2 ** 53, -0, 1e308, '', 'C', 'pad', 'opus', 'pcm16', 'audio', 'events', 'AAAA', null, true, [], {}),
    )
    const mutation = fc.record({ pick: fc.nat(), value: interesting, kind: fc.constantFrom('set', 'set', 'set', 'delete', 'add') })
    fc.assert(
      fc.property(arbServerMessage, mutation, (message, { pick, value, kind }) => {
        const m = JSON.parse(JSON.stringify(message)) as unknown
        const containers: { node: Record<string, unknown> | unknown[]; key: string | number }[] = []
        const walk = (node: unknown) => {
          if (Array.isArray(node)) node.forEach((v, i) => (containers.push({ node, key: i }), walk(v)))
          else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) containers.push({ node: node as Record<string, unknown>, key: k }), walk(v)
        }
        walk(m)
        const target = containers[pick % containers.length]
        if (kind === 'delete') {
          if (Array.isArray(target.node)) target.node.splice(target.key as number, 1)
          else delete target.node[target.key as string]
        } else if (kind === 'add' && !Array.isArray(target.node)) {
          target.node['extra'] = value
        } else {
          ;(target.node as Record<string | number, unknown>)[target.key] = value
        }
        let accepted = true
        try {
          expect(parseMessage(m)).toEqual(m)
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err
          accepted = false
        }
        expect(accepted, JSON.stringify(m).slice(0, 400)).toBe(isValidServerMessage(m))
      }),
      { numRuns: 2000 },
    )
  })
})
