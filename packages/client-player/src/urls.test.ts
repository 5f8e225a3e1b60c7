import { describe, expect, it } from 'vitest'
import { PlayerError } from './errors.js'
import { resolveStreamUrls, streamUrlFromAttributes, withQuery } from './urls.js'

describe('resolveStreamUrls', () => {
  it('derives events, ws and time URLs from a stream base', () => {
    expect(resolveStreamUrls('http://h:8080/api/stations/ambient')).toEqual({
      events: 'http://h:8080/api/stations/ambient/events',
      ws: 'ws://h:8080/api/stations/ambient/ws',
      time: 'http://h:8080/api/time',
    })
  })
  it('accepts an events or ws URL, keeps the query, upgrades to wss on https', () => {
    expect(resolveStreamUrls('https://x.test/s/abc/events?k=1')).toEqual({
      events: 'https://x.test/s/abc/events?k=1', ws: 'wss://x.test/s/abc/ws?k=1', time: 'https://x.test/api/time',
    })
    expect(resolveStreamUrls('wss://x.test/s/abc/ws').events).toBe('https://x.test/s/abc/events')
  })
  it('resolves relative URLs against the page and honours timeUrl', () => {
    const r = resolveStreamUrls('/api/sessions/q/', 'http://localhost:3000/app/', '/clock')
    expect(r.events).toBe('http://localhost:3000/api/sessions/q/events')
    expect(r.time).toBe('http://localhost:3000/clock')
  })
  it('rejects bad URLs with PlayerError invalid-option', () => {
    expect(() => resolveStreamUrls('not a url')).toThrow(PlayerError)
    expect(() => resolveStreamUrls('ftp://h/x')).toThrow(/http\(s\) or ws\(s\)/)
  })
})

describe('withQuery', () => {
  it('sets or replaces a parameter', () => {
    expect(withQuery('http://h/e?lastEventId=1&a=b', 'lastEventId', '42')).toBe('http://h/e?lastEventId=42&a=b')
  })
})

describe('streamUrlFromAttributes', () => {
  it('builds station and session URLs from the server origin', () => {
    expect(streamUrlFromAttributes('https://radio.test/', 'ambient', null)).toBe('https://radio.test/api/stations/ambient')
    expect(streamUrlFromAttributes('https://radio.test', null, 'a b')).toBe('https://radio.test/api/sessions/a%20b')
    expect(streamUrlFromAttributes('https://radio.test/x/events', null, null)).toBe('https://radio.test/x/events')
  })
  it('requires src', () => {
    expect(() => streamUrlFromAttributes(null, 'ambient', null)).toThrow(/needs a src attribute/)
  })
})
