import fc from 'fast-check'
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { describe, expect, it } from 'vitest'
import { arbEventId, arbEventIdString, arbServerMessage } from './arbitraries.test-util.js'
import { sampleMessages } from './fixtures.test-util.js'
import { ProtocolError } from './errors.js'
import { encodeSseComment, encodeSseEvent, encodeSseMessage, encodeSseMessageBuffer, encodeSseRetry } from './sse.js'
import { parseSseEvent } from './validate.js'
import type { ServerMessage } from './messages.js'

interface Parsed {
  events: EventSourceMessage[]
  comments: string[]
  retries: number[]
}

/** Feeds `stream` to the independent eventsource-parser, in the given chunk sizes (to test split reads). */
function parseStream(stream: string, chunkSizes: number[] = []): Parsed {
  const out: Parsed = { events: [], comments: [], retries: [] }
  const parser = createParser({
    onEvent: (e) => out.events.push(e),
    onComment: (c) => out.comments.push(c),
    onRetry: (r) => out.retries.push(r),
    onError: (err) => {
      throw err
    },
  })
  let i = 0
  for (const size of chunkSizes) {
    if (i >= stream.length) break
    parser.feed(stream.slice(i, i + Math.max(1, size)))
    i += Math.max(1, size)
  }
  if (i < stream.length) parser.feed(stream.slice(i))
  return out
}

const normalizeId = (id: string | number) => String(id)

describe('encodeSseEvent', () => {
  it('writes the fields in spec form', () => {
    expect(encodeSseEvent({ data: 'x' })).toBe('data: x\n\n')
    expect(encodeSseEvent({ id: 7, event: 'note', data: 'a\nb', retry: 1500 })).toBe('id: 7\nevent: note\nretry: 1500\ndata: a\ndata: b\n\n')
    expect(encodeSseEvent({ data: 'a\r\nb\rc\nd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n')
    expect(encodeSseEvent({ data: '' })).toBe('data: \n\n')
  })

  it('eventsource-parser reads back id, event name and data — multi-line, any line breaks, leading spaces, colons', () => {
    const arbData = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(fc.oneof(fc.string(), fc.constantFrom(' lead', ':colon', 'data: fake', 'id: 9', '', ' ')), { maxLength: 6 }).chain((lines) =>
        fc.constantFrom('\n', '\r\n', '\r').map((sep) => lines.join(sep)),
      ),
    )
    const arbEvent = fc.record(
      {
        id: arbEventId,
        event: fc.string({ minLength: 1 }).filter((s) => !/[\r\n]/.test(s)),
        data: arbData,
        retry: fc.nat(),
      },
      { requiredKeys: ['data'] },
    )
    fc.assert(
      fc.property(fc.array(arbEvent, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(40)), (events, chunks) => {
        const stream = events.map(encodeSseEvent).join('')
        const parsed = parseStream(stream, chunks)
        expect(parsed.events).toHaveLength(events.length)
        events.forEach((e, i) => {
          const got = parsed.events[i]
          expect(got.data).toBe(e.data.replace(/\r\n|\r/g, '\n'))
          expect(got.event).toBe(e.event)
          expect(got.id).toBe(e.id === undefined ? undefined : normalizeId(e.id))
        })
        expect(parsed.retries).toEqual(events.filter((e) => e.retry !== undefined).map((e) => e.retry))
      }),
      { numRuns: 300 },
    )
  })

  it('rejects ids containing LF, CR or NUL, or too long, and event names containing CR or LF', () => {
    for (const id of ['a\nb', 'a\rb', 'a\0b', '\n', 'x'.repeat(256), 'é'.repeat(128), '\uD800', -1, 1.5, NaN, Number.MAX_SAFE_INTEGER + 1]) {
      const err = (() => {
        try {
          encodeSseEvent({ id, data: 'x' })
        } catch (e) {
          return e
        }
      })()
      expect(err, JSON.stringify(id)).toBeInstanceOf(ProtocolError)
      expect((err as ProtocolError).path).toEqual(['id'])
    }
    expect(encodeSseEvent({ id: 'x'.repeat(255), data: 'x' })).toContain('id: ' + 'x'.repeat(255) + '\n')
    expect(encodeSseEvent({ id: 'é'.repeat(127), data: 'x' })).toContain('id: ')
    expect(encodeSseEvent({ id: '', data: 'x' })).toBe('id: \ndata: x\n\n')
    for (const event of ['a\nb', 'a\r', '\r\n']) expect(() => encodeSseEvent({ event, data: 'x' })).toThrow(ProtocolError)
    for (const retry of [-1, 1.5, NaN, Infinity]) expect(() => encodeSseEvent({ retry, data: 'x' })).toThrow(ProtocolError)
    expect(() => encodeSseEvent({ data: 3 as unknown as string })).toThrow(ProtocolError)
  })

  it('valid id strings survive eventsource-parser unchanged', () => {
    fc.assert(
      fc.property(arbEventIdString, (id) => {
        expect(parseStream(encodeSseEvent({ id, data: 'x' })).events[0].id).toBe(id)
      }),
    )
  })
})

describe('encodeSseMessage', () => {
  it('encodes type as the event name and the payload as one data line', () => {
    expect(encodeSseMessage({ type: 'reset', data: { reason: 'too old' } }, 42)).toBe('id: 42\nevent: reset\ndata: {"reason":"too old"}\n\n')
    expect(encodeSseMessage({ type: 'reset', data: { reason: 'a\nb' } })).toBe('event: reset\ndata: {"reason":"a\\nb"}\n\n')
  })

  it('every message type round-trips: encode → eventsource-parser → parseSseEvent gives the same message, id and name', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbServerMessage, fc.option(arbEventId, { nil: undefined })), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(200)), (items, chunks) => {
        const stream = items.map(([m, id], i) => (i % 2 ? encodeSseComment('heartbeat') : '') + encodeSseMessage(m, id)).join('')
        const parsed = parseStream(stream, chunks)
        expect(parsed.events).toHaveLength(items.length)
        items.forEach(([message, id], i) => {
          const got = parsed.events[i]
          expect(got.event).toBe(message.type)
          expect(got.id).toBe(id === undefined ? undefined : String(id))
          expect(parseSseEvent(got.event!, got.data)).toEqual(message)
        })
      }),
      { numRuns: 300 },
    )
  })

  it('the buffer form is the UTF-8 of the string form', () => {
    for (const m of sampleMessages()) {
      const bytes = encodeSseMessageBuffer(m, 5)
      expect(bytes).toBeInstanceOf(Uint8Array)
      expect(new TextDecoder().decode(bytes)).toBe(encodeSseMessage(m, 5))
    }
    const snowman: ServerMessage = { type: 'error', data: { code: 'x', message: '☃ \uD800' } }
    expect(parseStream(new TextDecoder().decode(encodeSseMessageBuffer(snowman))).events[0].data).toBe(JSON.stringify(snowman.data))
  })

  it('rejects what would corrupt the stream; validates on request', () => {
    expect(() => encodeSseMessage({ type: 'nope' } as unknown as ServerMessage)).toThrow(ProtocolError)
    expect(() => encodeSseMessage({ type: 'reset\ndata: x' } as unknown as ServerMessage)).toThrow(ProtocolError)
    expect(() => encodeSseMessage(null as unknown as ServerMessage)).toThrow(ProtocolError)
    expect(() => encodeSseMessage({ type: 'reset', data: undefined } as unknown as ServerMessage)).toThrow(ProtocolError)
    expect(() => encodeSseMessage({ type: 'reset', data: { reason: 1n } } as unknown as ServerMessage)).toThrow(ProtocolError)
    expect(() => encodeSseMessage({ type: 'reset', data: { reason: 'x' } }, 'a\nb')).toThrow(ProtocolError)
    const bad = { type: 'reset', data: { reason: 3 } } as unknown as ServerMessage
    expect(() => encodeSseMessage(bad)).not.toThrow()
    expect(() => encodeSseMessage(bad, 1, { validate: true })).toThrow(ProtocolError)
  })
})

describe('comments and retry', () => {
  it('encodes heartbeats the parser reports as comments, not events', () => {
    expect(encodeSseComment()).toBe(':\n')
    expect(encodeSseComment('ping')).toBe(': ping\n')
    expect(encodeSseComment('a\nb')).toBe(': a\n: b\n')
    const parsed = parseStream(encodeSseComment('ping') + encodeSseComment() + encodeSseMessage({ type: 'reset', data: { reason: '' } }, 1))
    expect(parsed.comments).toEqual(['ping', ''])
    expect(parsed.events).toHaveLength(1)
  })

  it('comment text of any kind never produces an event', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const parsed = parseStream(encodeSseComment(text) + '\n')
        expect(parsed.events).toHaveLength(0)
        expect(parsed.comments).toEqual(text.split(/\r\n|\r|\n/))
      }),
    )
  })

  it('encodes retry as a lone field', () => {
    expect(encodeSseRetry(3000)).toBe('retry: 3000\n')
    expect(parseStream(encodeSseRetry(0) + encodeSseRetry(2500)).retries).toEqual([0, 2500])
    for (const ms of [-1, 0.5, NaN, Infinity, 2 ** 53]) expect(() => encodeSseRetry(ms)).toThrow(ProtocolError)
  })
})
