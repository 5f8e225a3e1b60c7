import { afterEach, describe, expect, it } from 'vitest'
import { sectionDuration, SectionSchema, type Section } from '@auralis/protocol'
import { listen, startTestServer } from './stream-test-support.js'
import type { RunningServer } from './server.js'

let running: (RunningServer & { logs: () => string[] }) | undefined
const closers: (() => void)[] = []
afterEach(async () => {
  closers.splice(0).forEach((c) => c())
  await running?.close()
  running = undefined
})

function contiguous(sections: Section[]): void {
  for (let i = 1; i < sections.length; i++) {
    expect(sections[i].index).toBe(sections[i - 1].index + 1)
    expect(sections[i].startTime).toBeCloseTo(sections[i - 1].startTime + sectionDuration(sections[i - 1]), 9)
  }
}

describe('stations over SSE', () => {
  it('an independent EventSource client receives hello, controls, then valid sections in order, contiguous in time', async () => {
    running = await startTestServer()
    const l = listen(`${running.url}/api/stations/jazz/events`)
    closers.push(() => l.es.close())
    await l.until((g) => g.filter((x) => x.type === 'section').length >= 4)
    expect(l.got[0].type).toBe('hello')
    expect(l.got[0].data).toMatchObject({ protocol: 1, stream: 'jazz', kind: 'station', mode: 'events', controls: { style: 'jazz' } })
    expect(l.got[1].type).toBe('controls')
    const sections = l.sections().map((s) => SectionSchema.parse(s.data))
    contiguous(sections)
    const ids = l.sections().map((s) => Number(s.id))
    expect([...ids].sort((a, b) => a - b)).toEqual(ids)
  })

  it('lists stations with listener counts', async () => {
    running = await startTestServer()
    const l = listen(`${running.url}/api/stations/ambient/events`)
    closers.push(() => l.es.close())
    await l.until((g) => g.some((x) => x.type === 'hello'))
    const list = await (await fetch(`${running.url}/api/stations`)).json()
    expect(list.map((s: { id: string }) => s.id)).toEqual(['ambient', 'jazz'])
    expect(list[0]).toMatchObject({ listeners: 1, events: '/api/stations/ambient/events', ws: '/api/stations/ambient/ws' })
    expect(list[1].listeners).toBe(0)
  })

  it('a late joiner starts at "now": its first section is still playing or yet to play', async () => {
    running = await startTestServer()
    await new Promise((r) => setTimeout(r, 2500))
    const l = listen(`${running.url}/api/stations/ambient/events`)
    closers.push(() => l.es.close())
    await l.until((g) => g.some((x) => x.type === 'section'))
    const hello = l.got[0].data
    const first = l.sections()[0].data as Section
    const nowSec = (Date.now() - hello.epoch) / 1000
    expect(first.startTime + sectionDuration(first)).toBeGreaterThan(nowSec - 0.2)
    expect(first.index).toBeGreaterThan(0)
  })

  it('resumes with Last-Event-ID: no gap and no duplicate; an expired id gets reset', async () => {
    running = await startTestServer({ hub: { replayCount: 4 } })
    const url = `${running.url}/api/stations/jazz/events`
    const a = listen(url)
    await a.until((g) => g.filter((x) => x.type === 'section').length >= 2)
    a.es.close()
    const lastId = a.sections().at(-1)!.id
    await new Promise((r) => setTimeout(r, 1500))
    const b = listen(url, undefined, { 'Last-Event-ID': lastId })
    closers.push(() => b.es.close())
    await b.until((g) => g.filter((x) => x.type === 'section').length >= 3)
    // b's replay starts right after lastId: together the two connections saw every section exactly once.
    contiguous([...a.sections(), ...b.sections()].map((s) => s.data as Section))
    // Once more than 4 messages followed a's first section, the log no longer holds what came after it:
    // a resume from that id gets `reset` instead of a silent gap.
    const firstId = a.sections()[0].id
    await b.until((g) => b.sections().length >= 6 && BigInt(g.at(-1)!.id) - BigInt(firstId) >= 6n, 20_000)
    const stale = listen(url, undefined, { 'Last-Event-ID': firstId })
    closers.push(() => stale.es.close())
    await stale.until((g) => g.some((x) => x.type === 'reset'))
    expect(running.hub.stats().resets).toBeGreaterThanOrEqual(1)
  }, 30_000)
})
