import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { startRedisServer, type RedisServerProcess } from '@auralis/server-sse-redis/testing'
import { RedisLease } from './lock.js'

let server: RedisServerProcess
let redis: Redis
beforeAll(async () => {
  server = await startRedisServer()
  redis = new Redis(server.url)
})
afterAll(async () => {
  redis.disconnect()
  await server.stop()
})

describe('RedisLease', () => {
  it('one holder at a time; only the holder renews or releases; an unrenewed lease lapses', async () => {
    const a = new RedisLease(redis, 'lock:x', 'A', 300)
    const b = new RedisLease(redis, 'lock:x', 'B', 300)
    expect(await a.acquire()).toBe(true)
    expect(await b.acquire()).toBe(false)
    expect(await b.renew()).toBe(false)
    expect(await b.release()).toBe(false)
    expect(await a.holder()).toBe('A')
    await new Promise((r) => setTimeout(r, 200))
    expect(await a.renew()).toBe(true)
    await new Promise((r) => setTimeout(r, 200))
    expect(await b.acquire()).toBe(false) // renewed: still A's
    await new Promise((r) => setTimeout(r, 250))
    expect(await b.acquire()).toBe(true) // lapsed
    expect(await a.renew()).toBe(false)
    expect(await a.release()).toBe(false)
    expect(await b.release()).toBe(true)
    expect(await a.holder()).toBeNull()
  })
})
