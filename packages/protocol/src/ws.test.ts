import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arbAudioChunk, arbClientMessage, arbEventId, arbEventIdString, arbServerMessage } from './arbitraries.test-util.js'
import { sampleMessages } from './fixtures.test-util.js'
import { ProtocolError } from './errors.js'
import { audioChunkToMessage, packOpusPackets, type AudioChunk } from './audio.js'
import {
  AUDIO_FRAME_HEADER_BYTES,
  decodeAudioFrame,
  decodeWsClientText,
  decodeWsFrame,
  decodeWsText,
  encodeAudioFrame,
  encodeWsClientText,
  encodeWsText,
} from './ws.js'
import { parseMessage } from './validate.js'
import type { ServerMessage } from './messages.js'

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

const chunk = (over: Partial<AudioChunk> = {}): AudioChunk => ({
  seq: 5,
  startTime: 0.5,
  codec: 'opus',
  sampleRate: 48_000,
  channels: 2,
  frames: 4800,
  bytes: packOpusPackets([Uint8Array.of(0xfc, 1, 2), Uint8Array.of(0xfc, 3)]),
  ...over,
})

describe('text frames', () => {
  it('are {type, id?, data} JSON', () => {
    const m: ServerMessage = { type: 'reset', data: { reason: 'x' } }
    expect(JSON.parse(encodeWsText(m, 9))).toEqual({ type: 'reset', id: '9', data: { reason: 'x' } })
    expect(JSON.parse(encodeWsText(m))).toEqual({ type: 'reset', data: { reason: 'x' } })
    expect(encodeWsText(m, 'a"b')).toBe('{"type":"reset","id":"a\\"b","data":{"reason":"x"}}')
  })

  it('every message type round-trips, with and without an id', () => {
    fc.assert(
      fc.property(arbServerMessage, fc.option(arbEventId, { nil: undefined }), (message, id) => {
        const frame = decodeWsText(encodeWsText(message, id))
        expect(frame.message).toEqual(message)
        expect(frame.id).toBe(id === undefined ? undefined : String(id))
        expect('id' in frame).toBe(id !== undefined)
        expect(decodeWsFrame(encodeWsText(message, id))).toEqual({ kind: 'text', ...frame })
      }),
      { numRuns: 300 },
    )
  })

  it('rejects invalid frames with ProtocolError naming the path', () => {
    expect((thrown(() => decodeWsText('{"type":"reset","data":{"reason":"x"},"id":"a\\nb"}')) as ProtocolError).path).toEqual(['id'])
    expect((thrown(() => decodeWsText('{"type":"reset","data":{"reason":"x"},"id":5}')) as ProtocolError).path).toEqual(['id'])
    expect((thrown(() => decodeWsText('{"type":"reset","data":{"reason":"x"},"seq":5}')) as ProtocolError).path).toEqual([])
    expect((thrown(() => decodeWsText('{"type":"controls","data":{"controls":{},"bar":0,"time":0}}')) as ProtocolError).path).toEqual(['data', 'controls', 'key'])
    expect(thrown(() => decodeWsText('{'))).toBeInstanceOf(ProtocolError)
    expect(thrown(() => decodeWsText(3 as unknown as string))).toBeInstanceOf(ProtocolError)
    expect(thrown(() => encodeWsText({ type: 'x' } as unknown as ServerMessage))).toBeInstanceOf(ProtocolError)
    expect(thrown(() => encodeWsText({ type: 'reset', data: { reason: 3 } } as unknown as ServerMessage, undefined, { validate: true }))).toBeInstanceOf(ProtocolError)
  })

  it('random strings and JSON never throw anything but ProtocolError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        try {
          const { message } = decodeWsText(text)
          expect(parseMessage(message)).toEqual(message)
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('client messages round-trip, and invalid ones are refused on both sides', () => {
    fc.assert(
      fc.property(arbClientMessage, (m) => {
        expect(decodeWsClientText(encodeWsClientText(m))).toEqual(m)
      }),
    )
    expect(thrown(() => encodeWsClientText({ type: 'controls', data: { bpm: 10 } }))).toBeInstanceOf(ProtocolError)
    expect((thrown(() => decodeWsClientText('{"type":"controls","data":{}}')) as ProtocolError).path).toEqual(['data'])
  })
})

describe('binary audio frames', () => {
  it('have the documented layout', () => {
    const payload = packOpusPackets([Uint8Array.of(0xfc, 0xff)])
    const frame = encodeAudioFrame(chunk({ seq: 2 ** 32 + 7, startTime: 1.5, bytes: payload }), 'ab')
    const view = new DataView(frame.buffer)
    expect(view.getUint8(0)).toBe(0xa5)
    expect(view.getUint8(1)).toBe(1)
    expect(view.getUint8(2)).toBe(1) // opus
    expect(view.getUint8(3)).toBe(2)
    expect(view.getUint32(4)).toBe(48_000)
    expect(view.getUint32(8)).toBe(4800)
    expect(view.getUint32(12)).toBe(1)
    expect(view.getUint32(16)).toBe(7)
    expect(view.getFloat64(20)).toBe(1.5)
    expect(view.getUint8(28)).toBe(2)
    expect(new TextDecoder().decode(frame.subarray(29, 31))).toBe('ab')
    expect(frame.subarray(31)).toEqual(payload)
    expect(frame.length).toBe(AUDIO_FRAME_HEADER_BYTES + 2 + payload.length)
    expect(encodeAudioFrame(chunk({ codec: 'pcm16', frames: 1, channels: 1, bytes: Uint8Array.of(1, 2) }))[2]).toBe(2)
  })

  it('round-trips any valid chunk and id; the payload is raw bytes, not base64', () => {
    fc.assert(
      fc.property(arbAudioChunk, fc.option(arbEventId, { nil: undefined }), (c, id) => {
        const frame = encodeAudioFrame(c, id)
        const idBytes = id === undefined ? 0 : new TextEncoder().encode(String(id)).length
        expect(frame.length).toBe(AUDIO_FRAME_HEADER_BYTES + idBytes + c.bytes.length)
        const decoded = decodeAudioFrame(frame)
        expect(decoded.audio).toEqual(c)
        expect(decoded.id).toBe(id === undefined || id === '' ? undefined : String(id))
        // the decoded chunk is a valid `audio` message
        expect(parseMessage({ type: 'audio', data: audioChunkToMessage(decoded.audio) })).toBeTruthy()
        // what WebSocket implementations deliver: ArrayBuffer, Node Buffer (a view at an offset), DataView
        const padded = new Uint8Array(frame.length + 3)
        padded.set(frame, 3)
        expect(decodeAudioFrame(padded.buffer.slice(3))).toEqual(decoded)
        expect(decodeAudioFrame(Buffer.from(padded.buffer, 3, frame.length))).toEqual(decoded)
        expect(decodeAudioFrame(new DataView(padded.buffer, 3))).toEqual(decoded)
        expect(decodeWsFrame(frame)).toEqual({ kind: 'audio', ...decoded })
      }),
      { numRuns: 300 },
    )
  })

  it('keeps ids exactly, including a leading BOM and 255-byte ids', () => {
    fc.assert(
      fc.property(arbEventIdString, (id) => {
        expect(decodeAudioFrame(encodeAudioFrame(chunk(), id)).id).toBe(id === '' ? undefined : id)
      }),
    )
    expect(decodeAudioFrame(encodeAudioFrame(chunk(), '\uFEFFx')).id).toBe('\uFEFFx')
    expect(decodeAudioFrame(encodeAudioFrame(chunk(), 'é'.repeat(127))).id).toBe('é'.repeat(127))
    expect(decodeAudioFrame(encodeAudioFrame(chunk(), '')).id).toBeUndefined()
  })

  it('refuses to encode out-of-bounds fields, bad ids and payloads that do not match their codec', () => {
    const cases: [Partial<AudioChunk> | null, unknown, (string | number)[]][] = [
      [{ seq: -1 }, undefined, ['data', 'seq']],
      [{ seq: 2 ** 53 }, undefined, ['data', 'seq']],
      [{ seq: 1.5 }, undefined, ['data', 'seq']],
      [{ startTime: -1 }, undefined, ['data', 'startTime']],
      [{ startTime: NaN }, undefined, ['data', 'startTime']],
      [{ startTime: Infinity }, undefined, ['data', 'startTime']],
      [{ sampleRate: 7999 }, undefined, ['data', 'sampleRate']],
      [{ sampleRate: 192_001 }, undefined, ['data', 'sampleRate']],
      [{ frames: 0 }, undefined, ['data', 'frames']],
      [{ frames: 192_001 }, undefined, ['data', 'frames']],
      [{ channels: 3 as 1 }, undefined, ['data', 'channels']],
      [{ codec: 'mp3' as 'opus' }, undefined, ['data', 'codec']],
      [{ bytes: new Uint8Array(0) }, undefined, ['data', 'bytes']],
      [{ bytes: Uint8Array.of(0, 5, 1) }, undefined, ['data', 'bytes', 'packets', 0]],
      [{ bytes: [1, 2] as unknown as Uint8Array }, undefined, ['data', 'bytes']],
      [{ codec: 'pcm16', frames: 2, channels: 2, bytes: new Uint8Array(7) }, undefined, ['data', 'bytes']],
      [{ codec: 'pcm16', frames: 2, channels: 2, bytes: new Uint8Array(9) }, undefined, ['data', 'bytes']],
      [{}, 'a\nb', ['id']],
      [{}, 'a\0b', ['id']],
      [{}, 'x'.repeat(256), ['id']],
      [{}, -1, ['id']],
      [null, undefined, []],
    ]
    for (const [over, id, path] of cases) {
      const input = over === null ? (null as unknown as AudioChunk) : chunk(over)
      const err = thrown(() => encodeAudioFrame(input, id as string | undefined))
      expect(err, JSON.stringify(over) + String(id)).toBeInstanceOf(ProtocolError)
      expect((err as ProtocolError).path, JSON.stringify(over)).toEqual(path)
    }
  })

  it('rejects truncated and garbage frames with ProtocolError naming what is wrong', () => {
    const good = encodeAudioFrame(chunk({ codec: 'pcm16', frames: 2, channels: 1, bytes: Uint8Array.of(1, 2, 3, 4) }), 'id-7')
    const patch = (offset: number, write: (v: DataView) => void) => {
      const copy = good.slice()
      write(new DataView(copy.buffer))
      return copy
    }
    const cases: [Uint8Array, (string | number)[] | RegExp][] = [
      [good.subarray(0, 0), /too short/],
      [good.subarray(0, 28), /too short/],
      [patch(0, (v) => v.setUint8(0, 0x7b)), ['magic']],
      [patch(1, (v) => v.setUint8(1, 2)), ['version']],
      [patch(2, (v) => v.setUint8(2, 0)), ['data', 'codec']],
      [patch(2, (v) => v.setUint8(2, 3)), ['data', 'codec']],
      [patch(3, (v) => v.setUint8(3, 0)), ['data', 'channels']],
      [patch(4, (v) => v.setUint32(4, 7999)), ['data', 'sampleRate']],
      [patch(8, (v) => v.setUint32(8, 0)), ['data', 'frames']],
      [patch(8, (v) => v.setUint32(8, 3)), ['data', 'bytes']],
      [patch(12, (v) => v.setUint32(12, 2 ** 21)), ['data', 'seq']],
      [patch(20, (v) => v.setFloat64(20, NaN)), ['data', 'startTime']],
      [patch(20, (v) => v.setFloat64(20, -1)), ['data', 'startTime']],
      [patch(20, (v) => v.setFloat64(20, Infinity)), ['data', 'startTime']],
      [patch(28, (v) => v.setUint8(28, 200)), ['id']],
      [patch(29, (v) => v.setUint8(29, 0xff)), ['id']],
      [patch(29, (v) => v.setUint8(29, 0x0a)), ['id']],
      [good.subarray(0, good.length - 1), ['data', 'bytes']],
      [Uint8Array.of(...good, 0), ['data', 'bytes']],
    ]
    for (const [frame, expected] of cases) {
      const err = thrown(() => decodeAudioFrame(frame))
      expect(err).toBeInstanceOf(ProtocolError)
      if (expected instanceof RegExp) expect((err as Error).message).toMatch(expected)
      else expect((err as ProtocolError).path).toEqual(expected)
    }
    for (const notBytes of [null, 'abc', [1, 2, 3], {}]) expect(thrown(() => decodeAudioFrame(notBytes as unknown as Uint8Array))).toBeInstanceOf(ProtocolError)
  })

  it('random bytes never throw anything but ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(() => decodeAudioFrame(bytes)).toThrow(ProtocolError)
      }),
      { numRuns: 1000 },
    )
  })

  it('corrupted valid frames: either ProtocolError, or a frame that is valid and re-encodes to the same bytes', () => {
    const corrupt = fc.record({ index: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), cut: fc.nat(), mode: fc.constantFrom('flip', 'cut', 'flip', 'append') })
    fc.assert(
      fc.property(arbAudioChunk, fc.option(arbEventIdString, { nil: undefined }), corrupt, (c, id, { index, byte, cut, mode }) => {
        const frame = encodeAudioFrame(c, id).slice()
        let bad: Uint8Array
        if (mode === 'flip') {
          frame[index % frame.length] = byte
          bad = frame
        } else if (mode === 'cut') bad = frame.subarray(0, cut % frame.length)
        else bad = Uint8Array.of(...frame, byte)
        let decoded
        try {
          decoded = decodeAudioFrame(bad)
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError)
          return
        }
        expect(parseMessage({ type: 'audio', data: audioChunkToMessage(decoded.audio) })).toBeTruthy()
        expect(encodeAudioFrame(decoded.audio, decoded.id)).toEqual(bad)
      }),
      { numRuns: 1000 },
    )
  })

  it('the sample audio message survives SSE (base64) and WebSocket (binary) alike', () => {
    const audio = sampleMessages().find((m) => m.type === 'audio')!
    if (audio.type !== 'audio') throw new Error('unreachable')
    const { data, ...header } = audio.data
    const frame = encodeAudioFrame({ ...header, bytes: Uint8Array.from(Buffer.from(data, 'base64')) }, 17)
    expect(frame.length).toBeLessThan(data.length) // raw bytes: ~25% smaller than base64 in JSON
    expect(audioChunkToMessage(decodeAudioFrame(frame).audio)).toEqual(audio.data)
  })
})
