import { INSTRUMENTS, INSTRUMENT_IDS } from '@auralis/protocol'
import { describe, expect, it } from 'vitest'
import { PlayerError } from './errors.js'
import { noteOff, noteOn, programChange } from './midi-messages.js'
import { createMidiOutput, type MidiOutputLike } from './midi-output.js'
import type { ScheduledNote } from './output.js'
import { noteServerMs, serverToPerformanceMs } from './schedule-math.js'

class FakePort implements MidiOutputLike {
  readonly name = 'Fake Synth'
  sent: { data: number[]; timestamp: number | undefined }[] = []
  cleared = 0
  send(data: number[], timestamp?: number): void {
    this.sent.push({ data: [...data], timestamp })
  }
  clear(): void {
    this.cleared++
  }
}

describe('MIDI message bytes', () => {
  it('encodes channel messages', () => {
    expect(programChange(0, 89)).toEqual([0xc0, 89])
    expect(programChange(15, 0)).toEqual([0xcf, 0])
    expect(noteOn(9, 36, 100)).toEqual([0x99, 36, 100])
    expect(noteOff(1, 69)).toEqual([0x81, 69, 64])
  })
  it('rejects out-of-range values with RangeError', () => {
    expect(() => programChange(16, 0)).toThrow(RangeError)
    expect(() => noteOn(0, 128, 1)).toThrow(RangeError)
    expect(() => noteOn(0, 60, 0)).toThrow(RangeError)
    expect(() => noteOff(0, 60, 1.5)).toThrow(RangeError)
  })
})

describe('MidiOutput against a fake MIDIOutput', () => {
  it('sends one program change per melodic channel at start, none for drums', async () => {
    const port = new FakePort()
    const out = createMidiOutput({ port, now: () => 123.5 })
    await out.start()
    const melodic = INSTRUMENT_IDS.map((id) => INSTRUMENTS[id]).filter((i) => !i.drum)
    expect(port.sent).toEqual(melodic.map((i) => ({ data: [0xc0 | i.channel, i.program], timestamp: 123.5 })))
    expect(port.sent.some((m) => m.data[0] === 0xc9)).toBe(false)
  })

  it('sends note on/off on the instrument channel, drums on channel 10 with their GM key, at the scheduled times', async () => {
    const port = new FakePort()
    const out = createMidiOutput({ port, now: () => 0 })
    await out.start()
    port.sent = []
    const epoch = 1_700_000_000_000
    const offset = 250.5
    const origin = epoch - 10_000
    const events = [
      { t: 0, d: 0.5, inst: 'lead' as const, note: 69, vel: 100 },
      { t: 0.25, d: 0.1, inst: 'kick' as const, note: 36, vel: 120 },
      { t: 0.5, d: 0.1, inst: 'hat' as const, note: 60, vel: 70 },
      { t: 1.125, d: 2, inst: 'bass' as const, note: 33, vel: 90 },
    ]
    const startTime = 8
    for (const e of events) {
      const serverMs = noteServerMs(epoch, startTime, e.t)
      const timestamp = serverToPerformanceMs(serverMs, offset, origin)
      const n: ScheduledNote = { ...e, serverMs, time: 0, timestamp, section: 2 }
      out.play(n)
    }
    const at = (t: number) => (startTime + t) * 1000 + 10_000 - offset
    expect(port.sent).toEqual([
      { data: [0x91, 69, 100], timestamp: at(0) },
      { data: [0x81, 69, 64], timestamp: at(0) + 500 },
      { data: [0x99, 36, 120], timestamp: at(0.25) },
      { data: [0x89, 36, 64], timestamp: at(0.25) + 100 },
      { data: [0x99, 42, 70], timestamp: at(0.5) },
      { data: [0x89, 42, 64], timestamp: at(0.5) + 100 },
      { data: [0x92, 33, 90], timestamp: at(1.125) },
      { data: [0x82, 33, 64], timestamp: at(1.125) + 2000 },
    ])
    // Timestamps are exact: epoch + (startTime + t) · 1000 mapped to the performance clock.
    expect(port.sent[0].timestamp).toBe(17_749.5)
  })

  it('silence() clears queued messages and sends All Notes Off on the channels used', async () => {
    const port = new FakePort()
    const out = createMidiOutput({ port, now: () => 0 })
    await out.start()
    out.play({ inst: 'pad', note: 60, vel: 50, d: 1, serverMs: 0, time: 0, timestamp: 5, section: 0 })
    out.play({ inst: 'snare', note: 38, vel: 50, d: 1, serverMs: 0, time: 0, timestamp: 5, section: 0 })
    port.sent = []
    out.silence()
    expect(port.cleared).toBe(1)
    expect(port.sent).toEqual([{ data: [0xb0, 123, 0], timestamp: undefined }, { data: [0xb9, 123, 0], timestamp: undefined }])
  })

  it('fails with a clear midi-unavailable error when Web MIDI is missing or denied', async () => {
    const missing = createMidiOutput()
    await expect(missing.start()).rejects.toMatchObject({ name: 'PlayerError', code: 'midi-unavailable', message: expect.stringMatching(/requestMIDIAccess is missing/) })
    const denied = createMidiOutput({ requestAccess: () => Promise.reject(new DOMException('Permission denied', 'SecurityError')) })
    await expect(denied.start()).rejects.toThrow(/denied or failed: Permission denied/)
    const empty = createMidiOutput({ requestAccess: async () => ({ outputs: new Map<string, MidiOutputLike>() }) })
    await expect(empty.start()).rejects.toBeInstanceOf(PlayerError)
    const port = new FakePort()
    const named = createMidiOutput({ portName: 'fake', requestAccess: async () => ({ outputs: new Map([['a', port]]) }), now: () => 1 })
    await named.start()
    expect(port.sent.length).toBeGreaterThan(0)
  })
})
