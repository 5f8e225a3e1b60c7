import { describe, expect, it } from 'vitest'
import { encodeSse } from '../src/index.js'
import { SseParser, type SseEvent } from './helpers.js'

function parse(text: string): SseEvent[] {
  const out: SseEvent[] = []
  new SseParser((e) => out.push(e)).push(text)
  return out
}

describe('encodeSse', () => {
  it('writes event, id and data lines ended by a blank line', () => {
    expect(encodeSse({ event: 'section', id: '7', data: '{"a":1}' })).toBe('event: section\nid: 7\ndata: {"a":1}\n\n')
  })

  it('splits data on CR, LF and CRLF so the parser joins it back with LF', () => {
    const text = encodeSse({ data: 'one\ntwo\r\nthree\rfour' })
    expect(text).toBe('data: one\ndata: two\ndata: three\ndata: four\n\n')
    expect(parse(text)).toEqual([{ type: 'message', id: undefined, data: 'one\ntwo\nthree\nfour' }])
  })

  it('keeps leading spaces of data (only the one after the colon is dropped)', () => {
    expect(parse(encodeSse({ data: '  x' }))[0].data).toBe('  x')
  })

  it('encodes retry, comments and an empty id (which clears Last-Event-ID)', () => {
    expect(encodeSse({ retry: 1500 })).toBe('retry: 1500\n\n')
    expect(encodeSse({ comment: 'hi\nthere' })).toBe(': hi\n: there\n\n')
    expect(encodeSse({ comment: '' })).toBe(':\n\n')
    expect(encodeSse({ id: '', data: 'x' })).toBe('id:\ndata: x\n\n')
  })

  it('rejects event names and ids that would break the framing', () => {
    expect(() => encodeSse({ event: 'a\nb', data: 'x' })).toThrow(TypeError)
    expect(() => encodeSse({ id: '1\r', data: 'x' })).toThrow(TypeError)
    expect(() => encodeSse({ id: '1\0', data: 'x' })).toThrow(TypeError)
    expect(() => encodeSse({ event: '', data: 'x' })).toThrow(TypeError)
    expect(() => encodeSse({ retry: -1 })).toThrow(TypeError)
    expect(() => encodeSse({ retry: 1.5 })).toThrow(TypeError)
  })
})
