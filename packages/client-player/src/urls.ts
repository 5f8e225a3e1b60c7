/**
 * Stream URL resolution (pure): one `url` option gives the SSE, WebSocket and clock endpoints.
 */
import { PlayerError } from './errors.js'

/** The endpoints a player talks to. */
export interface StreamUrls {
  /** SSE endpoint (`…/events`). */
  readonly events: string
  /** WebSocket endpoint (`ws(s)://…/ws`). */
  readonly ws: string
  /** Clock endpoint (`{origin}/api/time`). */
  readonly time: string
}

/**
 * Resolves the endpoints of a stream. `url` is a stream base (`…/api/stations/ambient`), its events URL
 * (`…/events`) or its WebSocket URL (`…/ws`); relative URLs resolve against `base` (the page's URL).
 * `timeUrl` overrides the clock endpoint (default: `/api/time` on the stream's origin).
 * @throws PlayerError `invalid-option` for a URL that cannot be parsed or is not http(s)/ws(s).
 */
export function resolveStreamUrls(url: string, base?: string, timeUrl?: string): StreamUrls {
  let u: URL
  try {
    u = new URL(url, base)
  } catch {
    throw new PlayerError('invalid-option', `url "${url}" is not a valid URL${base ? ` (relative to ${base})` : ''}`)
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) {
    throw new PlayerError('invalid-option', `url must be http(s) or ws(s), got "${u.protocol}"`)
  }
  const httpProto = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol
  const path = u.pathname.replace(/\/+$/, '')
  const stem = /\/(events|ws)$/.test(path) ? path.replace(/\/(events|ws)$/, '') : path
  const query = u.search
  const origin = `${httpProto}//${u.host}`
  const wsOrigin = `${httpProto === 'https:' ? 'wss:' : 'ws:'}//${u.host}`
  let time: string
  try {
    time = new URL(timeUrl ?? '/api/time', origin + '/').toString()
  } catch {
    throw new PlayerError('invalid-option', `timeUrl "${timeUrl}" is not a valid URL`)
  }
  return { events: `${origin}${stem}/events${query}`, ws: `${wsOrigin}${stem}/ws${query}`, time }
}

/** `url` with the query parameter `name` set to `value` (replacing an earlier one). */
export function withQuery(url: string, name: string, value: string): string {
  const u = new URL(url)
  u.searchParams.set(name, value)
  return u.toString()
}

/**
 * The stream URL an element's attributes name: `{src}/api/stations/{station}`, `{src}/api/sessions/{session}`,
 * or `src` itself when neither is set.
 * @throws PlayerError `invalid-option` when `src` is missing.
 */
export function streamUrlFromAttributes(src: string | null, station: string | null, session: string | null): string {
  if (!src) throw new PlayerError('invalid-option', '<auralis-player> needs a src attribute (the server origin)')
  const base = src.replace(/\/+$/, '')
  if (station) return `${base}/api/stations/${encodeURIComponent(station)}`
  if (session) return `${base}/api/sessions/${encodeURIComponent(session)}`
  return base
}
