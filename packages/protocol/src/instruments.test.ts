import { describe, expect, it } from 'vitest'
import { INSTRUMENTS, INSTRUMENT_IDS, getInstrument, isInstrumentId } from './instruments.js'
import { LIMITS } from './music.js'

const REQUIRED = ['pad', 'lead', 'bass', 'keys', 'piano', 'sax', 'pluck', 'bell', 'kick', 'snare', 'hat', 'openhat', 'ride', 'clap', 'swell']
const DRUMS = ['kick', 'snare', 'hat', 'openhat', 'ride', 'clap', 'swell']

describe('instrument table', () => {
  it('has every required id, and one row per id whose id matches its key', () => {
    for (const id of REQUIRED) expect(INSTRUMENT_IDS).toContain(id)
    expect(Object.keys(INSTRUMENTS).sort()).toEqual([...INSTRUMENT_IDS].sort())
    expect(new Set(INSTRUMENT_IDS).size).toBe(INSTRUMENT_IDS.length)
    for (const [key, inst] of Object.entries(INSTRUMENTS)) expect(inst.id).toBe(key)
  })

  it('puts every drum on channel 9 (MIDI channel 10) with a fixed GM percussion key, and nothing else there', () => {
    for (const inst of Object.values(INSTRUMENTS)) {
      const isDrum = DRUMS.includes(inst.id)
      expect(inst.drum, inst.id).toBe(isDrum)
      if (isDrum) {
        expect(inst.channel, inst.id).toBe(9)
        expect(inst.drumNote, inst.id).toBeGreaterThanOrEqual(35) // GM percussion map: 35–81
        expect(inst.drumNote, inst.id).toBeLessThanOrEqual(81)
        expect(inst.range, inst.id).toEqual([inst.drumNote, inst.drumNote])
      } else {
        expect(inst.channel, inst.id).not.toBe(9)
        expect(inst.drumNote, inst.id).toBeUndefined()
      }
    }
  })

  it('uses GM programs 0–127 and MIDI channels 0–15; melodic instruments have a channel each', () => {
    for (const inst of Object.values(INSTRUMENTS)) {
      expect(Number.isInteger(inst.program) && inst.program >= 0 && inst.program <= 127, inst.id).toBe(true)
      expect(Number.isInteger(inst.channel) && inst.channel >= 0 && inst.channel <= 15, inst.id).toBe(true)
    }
    const melodic = Object.values(INSTRUMENTS).filter((i) => !i.drum)
    expect(new Set(melodic.map((i) => i.channel)).size).toBe(melodic.length)
  })

  it('has valid ranges: integers inside MIDI 0–127, low ≤ high', () => {
    for (const { id, range: [low, high] } of Object.values(INSTRUMENTS)) {
      expect(Number.isInteger(low) && Number.isInteger(high), id).toBe(true)
      expect(low, id).toBeGreaterThanOrEqual(LIMITS.note.min)
      expect(high, id).toBeLessThanOrEqual(LIMITS.note.max)
      expect(low, id).toBeLessThanOrEqual(high)
    }
  })

  it('has distinct drum keys and non-empty names', () => {
    const keys = Object.values(INSTRUMENTS).filter((i) => i.drum).map((i) => i.drumNote)
    expect(new Set(keys).size).toBe(keys.length)
    for (const inst of Object.values(INSTRUMENTS)) expect(inst.name.length, inst.id).toBeGreaterThan(0)
  })

  it('is frozen data', () => {
    expect(Object.isFrozen(INSTRUMENTS)).toBe(true)
    for (const inst of Object.values(INSTRUMENTS)) expect(Object.isFrozen(inst) && Object.isFrozen(inst.range), inst.id).toBe(true)
  })

  it('looks instruments up by id', () => {
    expect(getInstrument('kick').channel).toBe(9)
    expect(() => getInstrument('kazoo')).toThrow(RangeError)
    expect(() => getInstrument("toString")).toThrow(RangeError)
    expect(isInstrumentId('pad')).toBe(true)
    expect(isInstrumentId('toString')).toBe(false)
    expect(isInstrumentId(3)).toBe(false)
  })
})
