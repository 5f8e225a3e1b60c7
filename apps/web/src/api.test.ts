import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, createApi } from './api.js'

const station = {
  id: 'ambient', name: 'Ambient', style: 'ambient', mode: 'events', listeners: 2,
  controls: { style: 'ambient', key: 'A', mode: 'aeolian', bpm: 70, intensity: 0.5 }, events: '/api/stations/ambient/events', ws: '/api/stations/ambient/ws',
}
const seen: { method: string; url: string; body: string; type: string | undefined }[] = []
let server: Server
let origin: string

beforeAll(async () => {
  // A real HTTP server on 127.0.0.1 answering like the demo server does.
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body, type: req.headers['content-type'] })
      const json = (status: number, v: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v))
      if (req.url === '/api/stations') return json(200, [station])
      if (req.url === '/api/sessions' && body.includes('"bpm":999')) return json(400, { code: 'invalid', message: 'controls.bpm: too big' })
      if (req.url === '/api/sessions') return json(201, { id: 'abcdefghijklmnop1234', events: '/api/sessions/abcdefghijklmnop1234/events', ws: '/api/sessions/abcdefghijklmnop1234/ws' })
      if (req.url?.endsWith('/controls')) return json(200, { controls: { ...station.controls, bpm: 90 }, bar: 12, time: 24.5 })
      if (req.method === 'DELETE') return res.writeHead(204).end()
      if (req.url === '/api/bad') return json(200, { nope: true })
      json(404, { code: 'not_found', message: 'no session' })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('API client over real HTTP', () => {
  it('lists stations, validated', async () => {
    expect(await createApi(origin).listStations()).toEqual([station])
  })

  it('creates a session with a JSON body and steers it', async () => {
    const api = createApi(origin + '/')
    const created = await api.createSession({ style: 'jazz', controls: { bpm: 100 } })
    expect(created.id).toBe('abcdefghijklmnop1234')
    const last = seen.at(-1)!
    expect(last).toMatchObject({ method: 'POST', url: '/api/sessions', type: 'application/json' })
    expect(JSON.parse(last.body)).toEqual({ style: 'jazz', controls: { bpm: 100 } })
    const applied = await api.setControls(created.id, { bpm: 90 })
    expect(applied).toMatchObject({ bar: 12, time: 24.5, controls: { bpm: 90 } })
    expect(seen.at(-1)!.url).toBe('/api/sessions/abcdefghijklmnop1234/controls')
    await api.deleteSession(created.id)
    expect(seen.at(-1)!.method).toBe('DELETE')
  })

  it('turns error replies into ApiError with the server code and message', async () => {
    const err = await createApi(origin).createSession({ style: 'jazz', controls: { bpm: 999 } }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 400, code: 'invalid', message: 'controls.bpm: too big' })
    await expect(createApi(origin).setControls('nope-nope-nope-nope', { bpm: 90 }).then(() => createApi(origin).deleteSession('x'))).resolves.toBeUndefined()
    const unreachable = await createApi('http://127.0.0.1:1').listStations().catch((e) => e)
    expect(unreachable).toMatchObject({ status: 0, code: 'unreachable' })
  })

  it('builds export and stream URLs', () => {
    const api = createApi('http://h:1')
    expect(api.exportUrl('abc', 'mid')).toBe('http://h:1/api/sessions/abc/export.mid')
    expect(api.exportUrl('abc', 'txt', { from: 4, to: 10.5 })).toBe('http://h:1/api/sessions/abc/export.txt?from=4&to=10.5')
    expect(api.streamUrl('station', 'jazz')).toBe('http://h:1/api/stations/jazz')
    expect(api.streamUrl('session', 'a b')).toBe('http://h:1/api/sessions/a%20b')
  })
})
