import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arbAudioChunk } from './arbitraries.test-util.js'
import { ProtocolError } from './errors.js'
import { audioChunkToMessage, audioMessageToChunk, base64ToBytes, bytesToBase64, packOpusPackets, unpackOpusPackets } from './audio.js'
import { parseMessage } from './validate.js'

const nodeBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

describe('base64', () => {
  it('matches RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']]
    for (const [plain, encoded] of vectors) {
      const bytes = new TextEncoder().encode(plain)
      expect(bytesToBase64(bytes)).toBe(encoded)
      expect(base64ToBytes(encoded)).toEqual(bytes)
    }
  })

  it('agrees with Node Buffer and btoa, and round-trips any bytes (including views with an offset)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(3), (bytes, offset) => {
        const view = new Uint8Array(bytes.length + offset)
        view.set(bytes, offset)
        const sub = view.subarray(offset)
        const b64 = bytesToBase64(sub)
        expect(b64).toBe(nodeBase64(bytes))
        expect(b64).toBe(btoa(String.fromCharCode(...bytes)))
        expect(base64ToBytes(b64)).toEqual(bytes)
      }),
    )
  })

  it('handles large payloads (1.5 MB)', () => {
    const bytes = new Uint8Array(1_500_000)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) & 255
    const b64 = bytesToBase64(bytes)
    expect(b64 === nodeBase64(bytes)).toBe(true)
    expect(Buffer.from(base64ToBytes(b64)).equals(bytes)).toBe(true)
  })

  it('rejects malformed base64 with ProtocolError, and only that', () => {
    for (const bad of ['A', 'AA', 'AAA', 'AAAAA', 'A===', '====', 'AA=A', 'AB C', 'AB\nC', 'Zm9v\n', '-_-_', 'Zm9vé===', 'Zg==Zg==']) {
      expect(() => base64ToBytes(bad), JSON.stringify(bad)).toThrow(ProtocolError)
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        try {
          const bytes = base64ToBytes(s)
          expect(bytesToBase64(bytes).replace(/[AQgw]==$|[AEIMQUYcgkosw048]=$/, '')).toBe(s.replace(/.==$|.=$/, ''))
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError)
        }
      }),
    )
  })
})

describe('Opus packet packing', () => {
  it('round-trips any packets, each prefixed by a big-endian uint16 length', () => {
    expect(packOpusPackets([Uint8Array.of(9, 8, 7), Uint8Array.of(1)])).toEqual(Uint8Array.of(0, 3, 9, 8, 7, 0, 1, 1))
    expect(packOpusPackets([new Uint8Array(300)]).subarray(0, 2)).toEqual(Uint8Array.of(1, 44))
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 1500 }), { maxLength: 8 }), (packets) => {
        const packed = packOpusPackets(packets)
        expect(packed.length).toBe(packets.reduce((n, p) => n + 2 + p.length, 0))
        expect(unpackOpusPackets(packed)).toEqual(packets)
      }),
    )
  })

  it('accepts the largest packet a uint16 can describe, and rejects empty and oversized packets', () => {
    const big = new Uint8Array(65_535).fill(7)
    expect(Buffer.from(unpackOpusPackets(packOpusPackets([big]))[0]).equals(big)).toBe(true)
    expect(() => packOpusPackets([new Uint8Array(65_536)])).toThrow(ProtocolError)
    expect(() => packOpusPackets([Uint8Array.of(1), new Uint8Array(0)])).toThrow(expect.objectContaining({ path: ['packets', 1] }))
    expect(() => packOpusPackets([[1, 2] as unknown as Uint8Array])).toThrow(ProtocolError)
  })

  it('throws ProtocolError on a bad length: truncated prefix, zero, or running past the end', () => {
    expect(() => unpackOpusPackets(Uint8Array.of(0))).toThrow(expect.objectContaining({ path: ['packets', 0] }))
    expect(() => unpackOpusPackets(Uint8Array.of(0, 0))).toThrow(/zero-length/)
    expect(() => unpackOpusPackets(Uint8Array.of(0, 3, 1, 2))).toThrow(/declares 3 bytes but only 2 remain/)
    expect(() => unpackOpusPackets(Uint8Array.of(0, 1, 5, 0, 9, 1))).toThrow(expect.objectContaining({ path: ['packets', 1] }))
    expect(unpackOpusPackets(new Uint8Array(0))).toEqual([])
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          const packets = unpackOpusPackets(bytes)
          expect(packOpusPackets(packets)).toEqual(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError)
        }
      }),
    )
  })
})

describe('audio chunk ↔ message', () => {
  it('round-trips and the message passes the schema', () => {
    fc.assert(
      fc.property(arbAudioChunk, (chunk) => {
        const message = audioChunkToMessage(chunk)
        expect(parseMessage({ type: 'audio', data: message }).data).toEqual(message)
        expect(audioMessageToChunk(message)).toEqual(chunk)
      }),
    )
  })

  it('reports bad base64 at data', () => {
    const message = audioChunkToMessage({ seq: 0, startTime: 0, codec: 'opus', sampleRate: 48000, channels: 2, frames: 960, bytes: Uint8Array.of(0, 1, 1) })
    expect(() => audioMessageToChunk({ ...message, data: 'A' })).toThrow(expect.objectContaining({ path: ['data'] }))
  })
})
