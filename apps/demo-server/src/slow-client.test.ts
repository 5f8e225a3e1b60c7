import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Socket } from 'node:net'
import type { Section } from '@auralis/protocol'
import { listen, startTestServer } from './stream-test-support.js'
import type { RunningServer } from './server.js'

let running: (RunningServer & { logs: () => string[] }) | undefined
afterEach(async () => { await running?.close(); running = undefined })

describe('slow listeners', () => {
  it('drops a listener that stops reading while the others keep receiving on time, with bounded queues', async () => {
    const cap = 256 * 1024
    running = await startTestServer({ hub: { maxQueueBytes: cap } })
    const { port } = new URL(running.url)
    // A raw client that sends its request and then never reads a byte.
    const stuck: Socket = connect(Number(port), '127.0.0.1')
    await new Promise((r) => stuck.once('connect', r))
    stuck.write(`GET /api/stations/jazz/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`)
    stuck.pause()
    const good = listen(`${running.url}/api/stations/jazz/events`)
    await good.until((g) => g.some((x) => x.type === 'hello'))
    expect(running.hub.clientCount('station:jazz')).toBe(2)
    // Heavy traffic in the room (as an audio-mode stream would carry): 40 × 256 KB.
    const filler = 'x'.repeat(256 * 1024)
    for (let i = 0; i < 40 && running.hub.stats().droppedSlowClients === 0; i++) {
      await running.hub.publish('station:jazz', 'filler', { filler })
      await new Promise((r) => setTimeout(r, 25))
    }
    await expect.poll(() => running!.hub.stats().droppedSlowClients, { timeout: 10_000 }).toBe(1)
    expect(running.hub.stats().maxQueuedBytes).toBeLessThanOrEqual(cap + filler.length + 1024)
    expect(running.hub.clientCount('station:jazz')).toBe(1)
    // The good listener still gets sections ahead of their start time.
    const before = good.sections().length
    await good.until((g) => g.filter((x) => x.type === 'section').length >= before + 2, 10_000)
    const hello = good.got[0].data
    for (const s of good.sections().slice(before)) {
      const section = s.data as Section
      // Arrived before it starts playing (same machine, same clock).
      expect(hello.epoch + section.startTime * 1000 - s.at).toBeGreaterThan(0)
    }
    good.es.close()
    stuck.destroy()
  }, 30_000)
})
