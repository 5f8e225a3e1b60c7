import { afterEach, describe, expect, inject, it } from 'vitest'
import { createRedisReplayStore, type RedisReplayStore } from '../src/index.js'
import { startRedisServer } from '../src/testing.js'
import { listen, startInstance, uniquePrefix, until } from './helpers.js'

const url = inject('redisUrl')
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function instance(prefix: string, redisUrl = url, extra: Parameters<typeof createRedisReplayStore>[0] = {}) {
  const store = createRedisReplayStore({ url: redisUrl, keyPrefix: prefix, ...extra })
  await store.ready()
  const inst = await startInstance(store)
  cleanups.push(async () => {
    await inst.close()
    await store.close()
  })
  return { ...inst, store }
}

const nums = (got: { data: unknown }[]) => got.map((g) => (g.data as { n: number }).n)

describe('two hubs on two node:http servers sharing one Redis', () => {
  it('a client on B receives what A publishes, with the ids A got', async () => {
    const prefix = uniquePrefix()
    const a = await instance(prefix)
    const b = await instance(prefix)
    const client = listen(`${b.url}/rooms/news`, ['m'])
    cleanups.push(() => client.es.close())
    await client.open
    await until(() => b.store.isFollowing('news'))
    const ids: string[] = []
    for (let n = 0; n < 50; n++) ids.push(await a.hub.publish('news', 'm', { n }))
    await until(() => client.got.length >= 50)
    expect(client.got.map((g) => g.id)).toEqual(ids)
    expect(nums(client.got)).toEqual([...Array(50).keys()])
    expect(b.hub.stats().published).toBeGreaterThanOrEqual(50)
  })

  it('Last-Event-ID from A resumes on B: the missed messages once each, then live', async () => {
    const prefix = uniquePrefix()
    const a = await instance(prefix)
    const b = await instance(prefix)
    const first = listen(`${a.url}/rooms/r`, ['m'])
    await first.open
    await until(() => a.store.isFollowing('r'))
    for (let n = 0; n < 10; n++) await a.hub.publish('r', 'm', { n })
    await until(() => first.got.length >= 10)
    first.es.close()
    const lastSeen = first.got.at(-1)!.id
    // Missed while away, published from both instances.
    for (let n = 10; n < 20; n++) await (n % 2 ? a : b).hub.publish('r', 'm', { n })
    const second = listen(`${b.url}/rooms/r`, ['m'], lastSeen)
    cleanups.push(() => second.es.close())
    await second.open
    await until(() => second.got.length >= 10)
    await until(() => b.store.isFollowing('r'))
    for (let n = 20; n < 25; n++) await a.hub.publish('r', 'm', { n })
    await until(() => second.got.length >= 15)
    await new Promise((r) => setTimeout(r, 100))
    expect(nums(second.got)).toEqual([...Array(15).keys()].map((i) => i + 10))
    expect(new Set(second.got.map((g) => g.id)).size).toBe(15)
    expect(b.hub.stats().replays).toBe(1)
  })

  it('an id trimmed away (or garbage) gets reset with the latest id, then live messages', async () => {
    const prefix = uniquePrefix()
    const a = await instance(prefix, url, { maxEntries: 10 })
    const b = await instance(prefix, url, { maxEntries: 10 })
    const old = await a.hub.publish('r', 'm', { n: 0 })
    let latest = ''
    for (let n = 1; n < 400; n++) latest = await a.hub.publish('r', 'm', { n })
    await a.store.trim('r')
    for (const stale of [old, 'not-an-id']) {
      const c = listen(`${b.url}/rooms/r`, ['m', 'reset'], stale)
      cleanups.push(() => c.es.close())
      await until(() => c.got.length >= 1)
      expect(c.got[0]).toMatchObject({ type: 'reset', id: latest, data: { latestId: latest } })
      c.es.close()
    }
    expect(b.hub.stats().resets).toBe(2)
  })
})

describe('Redis restarts under a running hub', () => {
  it('publish fails clearly while Redis is down; the store reconnects by itself and clients keep receiving', async () => {
    const redis = await startRedisServer()
    cleanups.push(() => redis.stop())
    const statuses: string[] = []
    const a = await instance(uniquePrefix(), redis.url, { commandTimeoutMs: 200, onStatus: (s) => statuses.push(s), blockMs: 1000 })
    const b = await instance(a.store.keyPrefix, redis.url, { commandTimeoutMs: 200, blockMs: 1000 })
    const client = listen(`${b.url}/rooms/r`, ['m'])
    cleanups.push(() => client.es.close())
    await client.open
    await until(() => b.store.isFollowing('r'))
    await a.hub.publish('r', 'm', { n: 0 })
    await until(() => client.got.length === 1)
    await redis.kill()
    await until(() => !a.store.isReady())
    const err = await a.hub.publish('r', 'm', { n: -1 }).catch((e) => e)
    expect(err).toMatchObject({ name: 'RedisStoreError', code: 'unavailable' })
    // The client stays connected to its instance meanwhile.
    expect(b.hub.clientCount('r')).toBe(1)
    await redis.restart()
    await until(() => a.store.isReady() && b.store.isReady(), 10_000, 'reconnect')
    expect(statuses).toEqual(['ready', 'down', 'ready'])
    for (let n = 1; n <= 5; n++) await a.hub.publish('r', 'm', { n })
    await until(() => client.got.length >= 6, 10_000, 'messages after the restart')
    expect(nums(client.got)).toEqual([0, 1, 2, 3, 4, 5])
  })
})
