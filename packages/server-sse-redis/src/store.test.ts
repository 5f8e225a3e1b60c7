import { afterEach, describe, expect, inject, it } from 'vitest'
import { Redis } from 'ioredis'
import type { ReplayEntry } from '@auralis/server-sse'
import { createRedisReplayStore, type RedisReplayStore, type RedisReplayStoreOptions } from './store.js'
import { RedisStoreError } from './errors.js'
import { compareStreamIds } from './ids.js'
import { freePort } from './testing.js'
import { uniquePrefix, until } from '../test/helpers.js'

const url = inject('redisUrl')
const open: RedisReplayStore[] = []
function store(options: RedisReplayStoreOptions = {}): RedisReplayStore {
  const s = createRedisReplayStore({ url, ...options })
  open.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
})

/** Records what a store's feed emits, per room. */
function record(s: RedisReplayStore): Map<string, ReplayEntry[]> {
  const seen = new Map<string, ReplayEntry[]>()
  s.subscribe((room, entry) => {
    const list = seen.get(room) ?? []
    list.push(entry)
    seen.set(room, list)
  })
  return seen
}

describe('RedisReplayStore: log', () => {
  it('appends with increasing Redis stream ids and replays exactly what came after an id', async () => {
    const s = store({ keyPrefix: uniquePrefix() })
    await s.ready()
    const ids: string[] = []
    for (let i = 0; i < 50; i++) ids.push((await s.append('r', 'tick', JSON.stringify({ i }))).id)
    for (let i = 1; i < ids.length; i++) expect(compareStreamIds(ids[i], ids[i - 1])).toBeGreaterThan(0)
    expect(ids[0]).toMatch(/^\d{13}-\d+$/)
    const r = await s.since('r', ids[19])
    expect('entries' in r && r.entries.map((e) => e.id)).toEqual(ids.slice(20))
    expect('entries' in r && r.entries.map((e) => JSON.parse(e.data).i)).toEqual([...Array(30).keys()].map((i) => i + 20))
    expect('entries' in r && r.entries.every((e) => e.type === 'tick')).toBe(true)
    expect(await s.since('r', ids[49])).toEqual({ entries: [] })
    expect((await s.latest('r'))?.id).toBe(ids[49])
    expect(await s.latest('nothing-here')).toBeUndefined()
  })

  it('says expired for garbage, unknown and other-generation ids, with the latest id', async () => {
    const s = store({ keyPrefix: uniquePrefix() })
    await s.ready()
    const last = (await s.append('r', 'm', '1')).id
    for (const bad of ['', 'abc', '12', '1-2-3', '01-1', '9'.repeat(30), '1-0', '99999999999999-0']) {
      expect(await s.since('r', bad)).toEqual({ expired: true, latestId: last })
    }
    expect(await s.since('empty-room', '1-0')).toEqual({ expired: true })
  })

  it('trims by count (approximate MAXLEN) and an id trimmed away is expired', async () => {
    const prefix = uniquePrefix()
    const s = store({ keyPrefix: prefix, maxEntries: 100 })
    await s.ready()
    const ids: string[] = []
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all([...Array(50).keys()].map((k) => s.append('r', 'm', String(i + k))))
      ids.push(...batch.map((e) => e.id))
    }
    const len = await s.command.xlen(prefix + 'r')
    expect(len).toBeGreaterThanOrEqual(100)
    expect(len).toBeLessThanOrEqual(300)
    const r = await s.since('r', ids[10])
    expect(r).toEqual({ expired: true, latestId: ids.at(-1) })
    const recent = await s.since('r', ids[990])
    expect('entries' in recent && recent.entries.map((e) => e.data)).toEqual(['991', '992', '993', '994', '995', '996', '997', '998', '999'])
  })

  it('trims by age (MINID) and sets the key to expire', async () => {
    const prefix = uniquePrefix()
    const s = store({ keyPrefix: prefix, maxAgeMs: 300 })
    await s.ready()
    const old = (await s.append('r', 'm', '"old"')).id
    await new Promise((r) => setTimeout(r, 1100))
    await s.append('r', 'm', '"new"')
    await s.trim('r')
    expect(await s.since('r', old)).toMatchObject({ expired: true })
    const ttl = await s.command.pttl(prefix + 'r')
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(300 + 60_000)
    await s.delete('r')
    expect(await s.command.exists(prefix + 'r')).toBe(0)
  })

  it('rejects with a clear unavailable error when Redis cannot be reached', async () => {
    const port = await freePort()
    const s = store({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 200 })
    const t0 = Date.now()
    const err = await s.append('r', 'm', '1').catch((e) => e)
    expect(err).toBeInstanceOf(RedisStoreError)
    expect(err.code).toBe('unavailable')
    expect(err.message).toMatch(/append on room "r" failed: Redis is unreachable/)
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(s.isReady()).toBe(false)
    await expect(s.since('r', '1-0')).rejects.toMatchObject({ code: 'unavailable' })
  })

  it('validates its options', () => {
    expect(() => createRedisReplayStore({ url, maxEntries: 0 })).toThrow(RangeError)
    expect(() => createRedisReplayStore({ url, maxAgeMs: 0 })).toThrow(RangeError)
    expect(() => createRedisReplayStore({ url, blockMs: 0 })).toThrow(RangeError)
  })
})

describe('RedisReplayStore: feed', () => {
  it('emits every entry from two instances exactly once, in id order, to a watching instance', async () => {
    const prefix = uniquePrefix()
    const a = store({ keyPrefix: prefix })
    const b = store({ keyPrefix: prefix })
    const seenB = record(b)
    const seenA = record(a)
    await Promise.all([a.ready(), b.ready()])
    b.watch('room')
    a.watch('room')
    await until(() => b.isFollowing('room') && a.isFollowing('room'))
    const appended: string[] = []
    const t0 = Date.now()
    for (let i = 0; i < 100; i++) {
      const [x, y] = await Promise.all([a.append('room', 'm', `"a${i}"`), b.append('room', 'm', `"b${i}"`)])
      appended.push(x.id, y.id)
    }
    appended.sort(compareStreamIds)
    await until(() => (seenB.get('room')?.length ?? 0) >= 200 && (seenA.get('room')?.length ?? 0) >= 200)
    // Live, not by the blocking read timing out (blockMs is 5 s).
    expect(Date.now() - t0).toBeLessThan(3000)
    await new Promise((r) => setTimeout(r, 50))
    expect(seenB.get('room')!.map((e) => e.id)).toEqual(appended)
    expect(seenA.get('room')!.map((e) => e.id)).toEqual(appended)
  })

  it('emits its own appends to unwatched rooms at once, and nothing of rooms it does not watch from others', async () => {
    const prefix = uniquePrefix()
    const a = store({ keyPrefix: prefix })
    const b = store({ keyPrefix: prefix })
    const seenA = record(a)
    await Promise.all([a.ready(), b.ready()])
    const own = await a.append('solo', 'm', '1')
    await b.append('solo', 'm', '2')
    await new Promise((r) => setTimeout(r, 100))
    expect(seenA.get('solo')?.map((e) => e.id)).toEqual([own.id])
  })

  it('follows many rooms at once and starts a newly watched room without waiting out the blocking read', async () => {
    const prefix = uniquePrefix()
    const a = store({ keyPrefix: prefix, blockMs: 10_000 })
    const b = store({ keyPrefix: prefix })
    const seen = record(a)
    await Promise.all([a.ready(), b.ready()])
    a.watch('first')
    await until(() => a.isFollowing('first'))
    await new Promise((r) => setTimeout(r, 50)) // the feed is now blocked for up to 10 s on 'first'
    for (let i = 0; i < 20; i++) a.watch(`room${i}`)
    await until(() => [...Array(20).keys()].every((i) => a.isFollowing(`room${i}`)))
    const t0 = Date.now()
    await Promise.all([...Array(20).keys()].map((i) => b.append(`room${i}`, 'm', String(i))))
    await until(() => [...Array(20).keys()].every((i) => seen.get(`room${i}`)?.length === 1), 3000)
    expect(Date.now() - t0).toBeLessThan(1000)
    a.unwatch('room0')
    expect(a.watchedRooms()).not.toContain('room0')
  })

  it('after its connection is killed, the feed resumes from the last id it emitted: no duplicate, no gap', async () => {
    const prefix = uniquePrefix()
    const name = `feedkill-${prefix}`
    const a = store({ keyPrefix: prefix, blockMs: 200, connectionName: name })
    const b = store({ keyPrefix: prefix })
    const seen = record(a)
    await Promise.all([a.ready(), b.ready()])
    a.watch('room')
    await until(() => a.isFollowing('room'))
    const admin = new Redis(url)
    const appended: string[] = []
    let kills = 0
    for (let i = 0; i < 300; i++) {
      appended.push((await b.append('room', 'm', String(i))).id)
      if (i % 60 === 30) {
        await until(() => a.reader.status === 'ready')
        const list = String(await admin.client('LIST'))
        const id = /id=(\d+) .*name=(\S+)/g
        for (const m of list.matchAll(id)) if (m[2] === `${name}:feed`) kills += Number(await admin.client('KILL', 'ID', m[1]))
      }
    }
    await until(() => (seen.get('room')?.length ?? 0) >= 300, 10_000, 'all 300 entries')
    await new Promise((r) => setTimeout(r, 100))
    admin.disconnect()
    expect(kills).toBeGreaterThanOrEqual(3)
    expect(seen.get('room')!.map((e) => e.id)).toEqual(appended)
  })
})
