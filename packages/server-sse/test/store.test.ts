import { describe, expect, it } from 'vitest'
import { MemoryReplayStore, type ReplayEntry } from '../src/index.js'

function ids(result: Awaited<ReturnType<MemoryReplayStore['since']>>): string[] | 'expired' {
  return 'expired' in result ? 'expired' : result.entries.map((e) => e.id)
}

describe('MemoryReplayStore', () => {
  it('assigns increasing string ids per room and emits each entry synchronously, in order', async () => {
    const store = new MemoryReplayStore({ startSeq: 0 })
    const seen: [string, string][] = []
    const off = store.subscribe((room, e) => seen.push([room, e.id]))
    const a1 = store.append('a', 't', '1')
    expect(seen).toEqual([['a', '1']]) // before the promise settles
    await a1
    await store.append('b', 't', '1')
    await store.append('a', 't', '2')
    expect(seen).toEqual([
      ['a', '1'],
      ['b', '1'],
      ['a', '2'],
    ])
    off()
    await store.append('a', 't', '3')
    expect(seen).toHaveLength(3)
    expect((await store.latest('a'))?.id).toBe('3')
    expect(await store.latest('nope')).toBeUndefined()
  })

  it('lists exactly the entries after an id', async () => {
    const store = new MemoryReplayStore({ startSeq: 0 })
    for (let i = 0; i < 5; i++) await store.append('r', 't', String(i))
    expect(ids(await store.since('r', '2'))).toEqual(['3', '4', '5'])
    expect(ids(await store.since('r', '5'))).toEqual([])
    expect(ids(await store.since('r', '0'))).toEqual(['1', '2', '3', '4', '5'])
  })

  it('says expired for trimmed, future, foreign and malformed ids, with the latest id', async () => {
    const store = new MemoryReplayStore({ startSeq: 100, maxEntries: 3 })
    for (let i = 0; i < 6; i++) await store.append('r', 't', String(i))
    // kept: 104, 105, 106
    expect(ids(await store.since('r', '103'))).toEqual(['104', '105', '106'])
    expect(await store.since('r', '102')).toEqual({ expired: true, latestId: '106' })
    expect(await store.since('r', '107')).toEqual({ expired: true, latestId: '106' }) // from the future
    expect(await store.since('r', '50')).toEqual({ expired: true, latestId: '106' }) // an earlier generation
    expect(await store.since('r', 'abc')).toEqual({ expired: true, latestId: '106' })
    expect(await store.since('r', '0104')).toEqual({ expired: true, latestId: '106' })
    expect(await store.since('empty', '1')).toEqual({ expired: true, latestId: undefined })
  })

  it('trims by count and by age', async () => {
    let now = 1_000_000
    const store = new MemoryReplayStore({ startSeq: 0, maxEntries: 4, maxAgeMs: 1000, now: () => now })
    for (let i = 0; i < 10; i++) await store.append('r', 't', String(i))
    expect(store.size('r')).toBe(4)
    expect(ids(await store.since('r', '6'))).toEqual(['7', '8', '9', '10'])
    now += 600
    await store.append('r', 't', 'x') // 11
    now += 500 // 7..10 are now 1,100 ms old, 11 is 500 ms old
    await store.trim()
    expect(store.size('r')).toBe(1)
    expect(ids(await store.since('r', '10'))).toEqual(['11'])
    expect(await store.since('r', '9')).toEqual({ expired: true, latestId: '11' })
    now += 2000
    // Everything aged out, but a client that saw the last id missed nothing.
    expect(ids(await store.since('r', '11'))).toEqual([])
    expect(await store.since('r', '10')).toEqual({ expired: true, latestId: '11' })
    expect(store.size('r')).toBe(0)
  })

  it('keeps memory bounded over many appends (compaction)', async () => {
    const store = new MemoryReplayStore({ startSeq: 0, maxEntries: 10 })
    for (let i = 0; i < 50_000; i++) store.appendSync('r', 't', 'x')
    expect(store.size('r')).toBe(10)
    const internal = (store as unknown as { rooms: Map<string, { entries: ReplayEntry[] }> }).rooms.get('r')!
    expect(internal.entries.length).toBeLessThan(1100)
    expect(ids(await store.since('r', '49990'))).toEqual(Array.from({ length: 10 }, (_, i) => String(49991 + i)))
  })

  it('starts ids from the clock by default so ids never repeat across restarts', async () => {
    const before = Date.now() * 1000
    const a = new MemoryReplayStore()
    const first = Number((await a.append('r', 't', 'x')).id)
    expect(first).toBeGreaterThan(before)
    // A "restarted" process later: an id of the old one is too old for the new log.
    const b = new MemoryReplayStore({ startSeq: () => first + 10 })
    await b.append('r', 't', 'y')
    expect(await b.since('r', String(first))).toMatchObject({ expired: true })
  })

  it('orders ids numerically and forgets deleted rooms', async () => {
    const store = new MemoryReplayStore({ startSeq: 0 })
    expect(store.compareIds('9', '10')).toBeLessThan(0)
    expect(store.compareIds('10', '10')).toBe(0)
    await store.append('r', 't', 'x')
    await store.delete('r')
    expect(await store.latest('r')).toBeUndefined()
  })
})
