import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { createComposer, restoreComposer } from '@auralis/composition'
import type { Section } from '@auralis/protocol'
import { startRedisServer, type RedisServerProcess } from '@auralis/server-sse-redis/testing'
import { listen, type Received } from '../src/stream-test-support.js'
import { DEFAULT_STATIONS } from '../src/stream/stations.js'
import { health, spawnInstance, waitFor, type Instance } from './cluster-support.js'

let redis: RedisServerProcess
let admin: Redis
let instances: Instance[] = []
const closers: (() => void)[] = []

beforeAll(async () => {
  redis = await startRedisServer()
  admin = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 })
  admin.on('error', () => {})
  instances = await Promise.all([0, 1, 2].map(() => spawnInstance(redis.url)))
  await Promise.all(instances.map((i) => waitFor(async () => (await health(i.url)) === 200, 20_000, `${i.url} ready`)))
}, 60_000)

afterAll(async () => {
  closers.splice(0).forEach((c) => c())
  for (const i of instances) i.child.kill('SIGKILL')
  await Promise.all(instances.map((i) => i.exited))
  admin?.disconnect()
  await redis?.stop()
})

const sectionsOf = (got: Received[]) => got.filter((g) => g.type === 'section')
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** Every key in Redis with all its values as text (strings, hashes, streams, lists, sets). */
async function dumpRedis(): Promise<string> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await admin.scan(cursor, 'COUNT', 500)
    cursor = next
    keys.push(...batch)
  } while (cursor !== '0')
  const parts: string[] = []
  for (const key of keys) {
    const type = await admin.type(key)
    if (type === 'string') parts.push(String(await admin.get(key)))
    else if (type === 'hash') parts.push(JSON.stringify(await admin.hgetall(key)))
    else if (type === 'stream') parts.push(JSON.stringify(await admin.xrange(key, '-', '+')))
    else if (type === 'list') parts.push(JSON.stringify(await admin.lrange(key, 0, -1)))
    else if (type === 'set') parts.push(JSON.stringify(await admin.smembers(key)))
    parts.push(key)
  }
  return parts.join('\n')
}

describe('three instances sharing one Redis (built dist/main.js as child processes)', () => {
  it('clients on different instances see the same id sequence and identical sections', async () => {
    const clients = instances.map((i) => listen(`${i.url}/api/stations/jazz/events`))
    closers.push(...clients.map((c) => () => c.es.close()))
    await Promise.all(clients.map((c) => c.until((g) => sectionsOf(g).length >= 5, 30_000)))
    const epochs = clients.map((c) => c.got.find((g) => g.type === 'hello')!.data.epoch)
    expect(new Set(epochs).size).toBe(1)
    // Compare the sections all three received live (after the last of them joined).
    // "Live" = arrived after every client had its hello (the join-time burst of still-playing sections is not live).
    const joined = Math.max(...clients.map((c) => c.got.find((g) => g.type === 'hello')!.at))
    const lists = clients.map((c) => sectionsOf(c.got).filter((s) => s.at > joined))
    const from = Math.max(...lists.map((l) => l[0].data.index))
    const to = Math.min(...lists.map((l) => l.at(-1)!.data.index))
    expect(to).toBeGreaterThanOrEqual(from)
    const window = lists.map((l) => l.filter((s) => s.data.index >= from && s.data.index <= to))
    for (const w of window.slice(1)) {
      expect(w.map((s) => s.id)).toEqual(window[0].map((s) => s.id))
      expect(w.map((s) => s.data)).toEqual(window[0].map((s) => s.data))
    }
    expect(window[0][0].id).toMatch(/^\d+-\d+$/)
    clients.forEach((c) => c.es.close())
  }, 40_000)

  it('a session created on one instance is listened to on another, steered from a third, and deleted from any; the LLM key never reaches Redis', async () => {
    const [a, b, c] = instances
    const secret = 'sk-cluster-secret-7f3a9c1e55'
    const res = await post(`${a.url}/api/sessions`, {
      style: 'jazz', seed: 5, controls: { bpm: 240 },
      llm: { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: secret, model: 'none' },
    })
    expect(res.status).toBe(201)
    const created = await res.json()
    const onB = listen(b.url + created.events)
    closers.push(() => onB.es.close())
    await onB.until((g) => sectionsOf(g).length >= 2, 20_000)
    const infoA = await (await fetch(`${a.url}/api/sessions/${created.id}`)).json()
    expect(onB.got.find((g) => g.type === 'hello')!.data.epoch).toBe(infoA.epoch)
    const controls = await post(`${c.url}/api/sessions/${created.id}/controls`, { bpm: 180, intensity: 0.9 })
    expect(controls.status).toBe(200)
    const applied = await controls.json()
    expect(applied).toMatchObject({ controls: { bpm: 180, intensity: 0.9, style: 'jazz' } })
    await onB.until((g) => sectionsOf(g).some((s) => s.data.bar >= applied.bar), 20_000)
    expect(onB.got.some((g) => g.type === 'controls' && g.data.bar === applied.bar)).toBe(true)
    for (const s of sectionsOf(onB.got).map((x) => x.data as Section)) expect(s.bpm).toBe(s.bar >= applied.bar ? 180 : 240)
    const dump = await dumpRedis()
    expect(dump).toContain(created.id)
    expect(dump).not.toContain(secret)
    expect(dump).not.toContain(secret.slice(3, 20))
    for (const i of instances) expect(i.output()).not.toContain(secret)
    expect((await fetch(`${b.url}/api/sessions/${created.id}`, { method: 'DELETE' })).status).toBe(204)
    await waitFor(async () => (await fetch(`${a.url}/api/sessions/${created.id}`)).status === 404, 5000, 'deleted on A')
    await waitFor(async () => (await fetch(`${c.url}/api/sessions/${created.id}`)).status === 404, 5000, 'deleted on C')
    expect(await admin.exists(`auralis:session:${created.id}`)).toBe(0)
    await onB.until((g) => g.some((x) => x.type === 'error' && x.data.code === 'session_ended'), 5000)
    onB.es.close()
  }, 60_000)

  it('kill -9 of the leader: another instance takes over within 2 s and the music continues exactly, with no duplicate', async () => {
    const room = 'station:jazz'
    const holder = await admin.get(`auralis:lock:${room}`)
    const leader = instances.find((i) => holder?.split(':')[1] === String(i.pid))!
    expect(leader).toBeDefined()
    const others = instances.filter((i) => i !== leader)
    const survivors = others.map((i) => listen(`${i.url}/api/stations/jazz/events`))
    const onLeader = listen(`${leader.url}/api/stations/jazz/events`)
    closers.push(...[...survivors, onLeader].map((c) => () => c.es.close()))
    await Promise.all([...survivors, onLeader].map((c) => c.until((g) => sectionsOf(g).length >= 2, 20_000)))
    onLeader.es.close()
    const lastOnLeader = sectionsOf(onLeader.got).at(-1)!

    const killedAt = Date.now()
    leader.child.kill('SIGKILL')
    const stateAtKill = JSON.parse((await admin.get(`auralis:state:${room}`))!)
    const newHolder = await waitFor(async () => {
      const h = await admin.get(`auralis:lock:${room}`)
      return h && h !== holder ? h : null
    }, 5000, 'a new lease holder')
    const takeoverMs = Date.now() - killedAt
    expect(others.some((i) => newHolder.split(':')[1] === String(i.pid))).toBe(true)
    await leader.exited

    const baseIndex = stateAtKill.index as number
    await Promise.all(survivors.map((c) => c.until((g) => sectionsOf(g).some((s) => s.data.index >= baseIndex + 3), 25_000))).catch((err) => {
      for (const i of others) console.log(i.pid, i.output().split('\n').filter((l) => /conduct|unavailable|error/i.test(l)).join('\n'))
      throw err
    })
    const epoch = survivors[0].got.find((g) => g.type === 'hello')!.data.epoch as number
    // Uninterrupted reference: the station's composer from its definition, never failed over.
    const def = DEFAULT_STATIONS.find((d) => d.id === 'jazz')!
    const reference = createComposer({ ...def.controls, seed: def.seed, form: def.form })
    const ref: Section[] = []
    const maxIndex = Math.max(...survivors.map((c) => sectionsOf(c.got).at(-1)!.data.index))
    while (ref.length <= maxIndex) ref.push(reference.next())
    let silenceMs = 0
    let maxArrivalGapMs = 0
    for (const c of survivors) {
      const list = sectionsOf(c.got)
      const ids = list.map((s) => s.id)
      expect(new Set(ids).size).toBe(ids.length) // no duplicate
      for (let k = 1; k < list.length; k++) {
        expect(list[k].data.index).toBe(list[k - 1].data.index + 1) // no missing section
        maxArrivalGapMs = Math.max(maxArrivalGapMs, list[k].at - list[k - 1].at)
      }
      for (const s of list) {
        expect(s.data).toEqual(JSON.parse(JSON.stringify(ref[s.data.index])))
        // How late a section arrived after its start = silence heard by this listener.
        if (s.at > killedAt) silenceMs = Math.max(silenceMs, s.at - (epoch + s.data.startTime * 1000))
      }
    }
    // The section after failover equals what a composer restored from the stored snapshot produces.
    const restored = restoreComposer(stateAtKill.snapshot)
    const next = sectionsOf(survivors[0].got).find((s) => s.data.index === baseIndex + 1)!
    expect(next.data).toEqual(JSON.parse(JSON.stringify(restored.next())))
    // A listener of the dead instance resumes on another with its Last-Event-ID: no gap, no duplicate.
    const resumed = listen(`${others[0].url}/api/stations/jazz/events`, undefined, { 'Last-Event-ID': lastOnLeader.id })
    closers.push(() => resumed.es.close())
    await resumed.until((g) => sectionsOf(g).length >= 2, 10_000)
    const r = sectionsOf(resumed.got)
    expect(r[0].data.index).toBe(lastOnLeader.data.index + 1)
    resumed.es.close()
    survivors.forEach((c) => c.es.close())
    console.log('cluster failover', JSON.stringify({ takeoverMs, silenceMs: Math.max(0, silenceMs), maxArrivalGapMs, sectionSeconds: ref[0] && (60 / ref[0].bpm) * 4 * ref[0].bars }))
    expect(takeoverMs).toBeLessThanOrEqual(2000)
    expect(Math.max(0, silenceMs)).toBeLessThanOrEqual(1000)
    instances = others
  }, 60_000)

  it('Redis restart: instances report unready, log the outage once per interval, and recover by themselves', async () => {
    const client = listen(`${instances[0].url}/api/stations/jazz/events`)
    closers.push(() => client.es.close())
    await client.until((g) => sectionsOf(g).length >= 1, 15_000)
    const logsBefore = instances.map((i) => (i.output().match(/redis unavailable/g) ?? []).length)
    const down = Date.now()
    await redis.kill()
    await Promise.all(instances.map((i) => waitFor(async () => (await health(i.url)) === 503, 5000, 'unready')))
    // Served meanwhile: time and the stream connection stay up.
    expect((await fetch(`${instances[0].url}/api/time`)).status).toBe(200)
    await new Promise((r) => setTimeout(r, 2500))
    const outageMs = Date.now() - down
    await redis.restart()
    await Promise.all(instances.map((i) => waitFor(async () => (await health(i.url)) === 200, 15_000, 'ready again')))
    const recoveredMs = Date.now() - down
    const before = sectionsOf(client.got).length
    await client.until((g) => sectionsOf(g).length >= before + 2, 20_000)
    const logLines = instances.map((i, k) => (i.output().match(/redis unavailable/g) ?? []).length - logsBefore[k])
    for (const n of logLines) {
      expect(n).toBeGreaterThanOrEqual(1)
      expect(n).toBeLessThanOrEqual(Math.ceil(recoveredMs / 10_000) + 1)
    }
    for (const i of instances) expect(i.output()).toMatch(/redis reachable again/)
    console.log('cluster redis restart', JSON.stringify({ outageMs, recoveredMs, logLines }))
    client.es.close()
  }, 60_000)
})
