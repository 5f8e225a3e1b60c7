import { describe, expect, it } from 'vitest'
import type { PlayerStats } from '@auralis/client-player'
import { formatMs, formatSeconds, statusRows } from './format.js'
import { noteName } from './notes.js'
import { listenersText, describeStation } from './stations-view.js'
import { appliedText } from './session-controls.js'
import { announcement } from './now-playing-view.js'
import { sectionsAround } from './tracker-grid.js'

describe('formatting', () => {
  it('formats ms and seconds, a dash when unknown', () => {
    expect(formatMs(12.345)).toBe('12.3 ms')
    expect(formatMs(undefined)).toBe('—')
    expect(formatMs(NaN)).toBe('—')
    expect(formatSeconds(1.256)).toBe('1.26 s')
  })

  it('names notes: 60 = C4, 69 = A4, flats on request', () => {
    expect(noteName(60)).toBe('C4')
    expect(noteName(69)).toBe('A4')
    expect(noteName(61)).toBe('C#4')
    expect(noteName(61, true)).toBe('Db4')
    expect(noteName(21)).toBe('A0')
  })

  it('lists the status rows of a player: connection, buffer, offset, RTT, latency, late/skipped', () => {
    const stats = {
      state: 'playing', connection: 'open', transport: 'sse', output: 'tone', timer: 'worker', bufferedAheadS: 1.3, queuedNotes: 4, scheduleAheadMs: 150,
      clockOffsetMs: -0.42, rttMs: 2.25, clockSyncs: 3, scheduledNotes: 120, lateNotes: 1, skippedNotes: 7, sectionsReceived: 5,
      duplicateSections: 0, reconnects: 2, resets: 0, lastEventId: '9', outputLatencyS: 0.032,
    } satisfies PlayerStats
    const rows = Object.fromEntries(statusRows(stats).map((r) => [r.key, r.value]))
    expect(rows).toMatchObject({ connection: 'open (sse)', buffer: '1.30 s', horizon: '150 ms', offset: '-0.4 ms', rtt: '2.3 ms', latency: '32.0 ms', late: '1 / 7', reconnects: '2' })
    expect(statusRows(undefined)).toEqual([{ key: 'connection', label: 'Connection', value: 'not playing' }])
  })

  it('describes stations, listeners, applied controls and what is playing', () => {
    expect(describeStation({ style: 'jazz', controls: { key: 'Bb', mode: 'ionian', bpm: 240, intensity: 0.5, style: 'jazz' } })).toBe('jazz · Bb ionian · 240 bpm')
    expect(listenersText(1)).toBe('1 listener')
    expect(listenersText(0)).toBe('0 listeners')
    expect(appliedText(41, 12.5, 11.25)).toBe('Applies from bar 42 (in 1.3 s)')
    expect(appliedText(41, 12.5, undefined)).toBe('Applies from bar 42')
    expect(announcement('Jazz', undefined)).toBe('Jazz: buffering')
  })

  it('picks the section sounding now and the next one for the tracker', () => {
    const s = (index: number, startTime: number) => ({ index, startTime }) as never
    const list = [s(2, 2), s(0, 0), s(1, 1), s(3, 3)]
    expect(sectionsAround(list, 1.5).map((x: { index: number }) => x.index)).toEqual([1, 2])
    expect(sectionsAround(list, 3.2).map((x: { index: number }) => x.index)).toEqual([3])
    expect(sectionsAround(list, -1).map((x: { index: number }) => x.index)).toEqual([0])
  })
})
