import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClockSync } from './clock-sync.js'
import { PlayerError } from './errors.js'

// A real /api/time on 127.0.0.1 whose clock runs 5 s ahead of this process's Date.now().
const SKEW = 5000
let server: Server
let base = ''
let hits = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++
    if (req.url === '/api/time') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ serverTime: Date.now() + SKEW }))
    else if (req.url === '/bad') res.writeHead(200).end('{"serverTime":"soon"}')
    else res.writeHead(500).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('ClockSync against a real HTTP server', () => {
  it('estimates the offset within a few ms from a burst of pings', async () => {
    const before = hits
    const sync = new ClockSync({ url: `${base}/api/time`, samples: 7, now: () => Date.now() })
    const est = await sync.syncOnce()
    expect(hits - before).toBe(7)
    // Each sample's error is at most half its RTT (+1 ms of Date.now() granularity).
    expect(Math.abs(sync.offsetMs! - SKEW)).toBeLessThanOrEqual(Math.max(3, est.rttMs / 2 + 1))
    expect(est.rttMs).toBeGreaterThanOrEqual(0)
    expect(est.rttMs).toBeLessThan(100)
    expect(est.used).toBeGreaterThanOrEqual(1)
    expect(sync.syncCount).toBe(1)
  })
  it('seeds from a one-way reading until the first burst, then ignores seeds', async () => {
    const sync = new ClockSync({ url: `${base}/api/time`, samples: 3, now: () => Date.now() })
    sync.seed(Date.now() + 4000)
    expect(Math.abs(sync.offsetMs! - 4000)).toBeLessThanOrEqual(2)
    const est = await sync.syncOnce()
    sync.seed(0)
    expect(Math.abs(sync.offsetMs! - SKEW)).toBeLessThanOrEqual(Math.max(3, est.rttMs / 2 + 1))
  })
  it('re-syncs periodically and stops', async () => {
    const sync = new ClockSync({ url: `${base}/api/time`, samples: 2, intervalMs: 30, now: () => Date.now() })
    await sync.start(() => undefined)
    const deadline = Date.now() + 3000
    while (sync.syncCount < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    sync.stop()
    const n = sync.syncCount
    expect(n).toBeGreaterThanOrEqual(3)
    await new Promise((r) => setTimeout(r, 80))
    expect(sync.syncCount).toBe(n)
  })
  it('fails with PlayerError("clock") when every ping fails or answers nonsense', async () => {
    await expect(new ClockSync({ url: `${base}/nope`, samples: 2 }).syncOnce()).rejects.toMatchObject({ code: 'clock', message: expect.stringMatching(/answered 500/) })
    await expect(new ClockSync({ url: `${base}/bad`, samples: 2 }).syncOnce()).rejects.toBeInstanceOf(PlayerError)
  })
})
