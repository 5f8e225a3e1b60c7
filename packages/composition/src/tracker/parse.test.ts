import { describe, expect, it } from 'vitest'
import { parseTracker } from './parse.js'
import { TrackerError } from './errors.js'

const steps = (n: number, fill = '.'): string => Array.from({ length: n }, () => fill).join('\n')

describe('parseTracker', () => {
  it('reads the Infinite Jazz example: notes, chords, rests, ties, drum map, C4 = 60', () => {
    const text = [
      'BASS', '1 C2:80', '2 .', '3 E2:75', '4 .',
      '', 'DRUMS', '1 C2:90,D#3:60', '2 .', '3 .', '4 F#2:52',
      '', 'PIANO', '1 C3:65,E3:60,G3:62', '2 .', '3 .', '4 F3:70,A3:64,C4:60',
      '', 'SAX', '1 E4:85', '2 .', '3 B4:90', '4 ^',
    ].join('\n')
    // 120 bpm, straight: a 16th is 0.125 s
    const r = parseTracker(text, { bpm: 120 })
    expect(r.steps).toBe(4)
    expect(r.instruments).toEqual(['BASS', 'DRUMS', 'PIANO', 'SAX'])
    expect(r.warnings).toEqual([])
    expect(r.events).toEqual([
      { t: 0, d: 0.125, inst: 'bass', note: 36, vel: 80 },
      { t: 0, d: 0.125, inst: 'piano', note: 48, vel: 65 },
      { t: 0, d: 0.125, inst: 'piano', note: 52, vel: 60 },
      { t: 0, d: 0.125, inst: 'piano', note: 55, vel: 62 },
      { t: 0, d: 0.125, inst: 'sax', note: 64, vel: 85 },
      { t: 0, d: 0.125, inst: 'kick', note: 36, vel: 90 },
      { t: 0, d: 0.125, inst: 'ride', note: 51, vel: 60 },
      { t: 0.25, d: 0.125, inst: 'bass', note: 40, vel: 75 },
      { t: 0.25, d: 0.25, inst: 'sax', note: 71, vel: 90 },
      { t: 0.375, d: 0.125, inst: 'piano', note: 53, vel: 70 },
      { t: 0.375, d: 0.125, inst: 'piano', note: 57, vel: 64 },
      { t: 0.375, d: 0.125, inst: 'piano', note: 60, vel: 60 },
      { t: 0.375, d: 0.125, inst: 'hat', note: 42, vel: 52 },
    ])
  })

  it('maps every drum of the map (and clap/crash) to its kit piece', () => {
    const text = ['DRUMS', 'C2:100', 'D2:100', 'F#2:100', 'Bb2:100', 'Eb3:100', 'Eb2:100', 'C#3:100', 'B1:90,E2:90,G#2:90'].join('\n')
    const r = parseTracker(text, { bpm: 60 })
    expect(r.events.map((e) => [e.inst, e.note])).toEqual([
      ['kick', 36], ['snare', 38], ['hat', 42], ['openhat', 46], ['ride', 51], ['clap', 39], ['swell', 49],
      ['kick', 36], ['snare', 38], ['hat', 42],
    ])
  })

  it('places the 16th on the second eighth of each beat at the swing ratio, 16ths in between proportionally', () => {
    const text = ['SAX', ...Array.from({ length: 8 }, () => 'C5:80')].join('\n')
    const r = parseTracker(text, { bpm: 60, swing: 0.67 }) // a beat is 1 s
    const t = r.events.map((e) => e.t)
    expect(t[0]).toBe(0)
    expect(t[1]).toBeCloseTo(0.335, 12)
    expect(t[2]).toBeCloseTo(0.67, 12)
    expect(t[3]).toBeCloseTo(0.835, 12)
    expect(t[4]).toBeCloseTo(1, 12)
    expect(t[6]).toBeCloseTo(1.67, 12)
    // each note lasts until the next onset, so swung eighths are long-short
    expect(r.events[0].d + r.events[1].d).toBeCloseTo(0.67, 12)
    expect(r.events[2].d + r.events[3].d).toBeCloseTo(0.33, 12)
    // measured swing ratio from the onsets of the eighths
    expect((t[2] - t[0]) / (t[4] - t[0])).toBeCloseTo(0.67, 12)
  })

  it('extends durations through ties, across chords, to the end of the section', () => {
    const text = ['PIANO', 'C4:70,E4:70', '^', '^', '.', 'G4:60', '^', '^', '^'].join('\n')
    const r = parseTracker(text, { bpm: 120, bars: 1, beatsPerBar: 2 })
    expect(r.events).toEqual([
      { t: 0, d: 0.375, inst: 'piano', note: 60, vel: 70 },
      { t: 0, d: 0.375, inst: 'piano', note: 64, vel: 70 },
      { t: 0.5, d: 0.5, inst: 'piano', note: 67, vel: 60 },
    ])
  })

  it('ignores line numbers (both styles), comments, fences and prose before the first header', () => {
    const text = [
      "Here's your section:",
      '```',
      '# a comment',
      'BASS',
      '1 C2:80',
      '2. D2:81  # passing tone',
      '3) ^',
      '4:.',
      '```',
      'Enjoy!',
    ].join('\n')
    const r = parseTracker(text, { bpm: 120 })
    expect(r.steps).toBe(4)
    expect(r.events).toEqual([
      { t: 0, d: 0.125, inst: 'bass', note: 36, vel: 80 },
      { t: 0.125, d: 0.25, inst: 'bass', note: 38, vel: 81 },
    ])
    expect(r.warnings.map((w) => [w.line, w.code])).toEqual([
      [1, 'ignored'],
      [10, 'ignored'],
    ])
  })

  it('tolerates unicode, lowercase, trailing punctuation, markdown headers, and warns with line numbers', () => {
    const text = [
      '## Bass:', // 1
      'c♯2:80.', // 2
      'e♭2：70,', // 3 (full-width colon)
      'bb1:300', // 4 velocity clamped
      'G2:0;', // 5 velocity clamped up
      'C8:80', // 6 outside bass range: skipped
      'G#9:80', // 7 outside MIDI: skipped
      'D2', // 8 no velocity: default
      '^', // 9
    ].join('\n')
    const r = parseTracker(text, { bpm: 120 })
    expect(r.events.map((e) => [e.note, e.vel])).toEqual([[37, 80], [39, 70], [34, 127], [43, 1], [38, 80]])
    expect(r.events[4].d).toBeCloseTo(0.25, 12) // D2 held by the tie
    expect(r.warnings.map((w) => [w.line, w.code])).toEqual([
      [4, 'velocity'],
      [5, 'velocity'],
      [6, 'range'],
      [7, 'range'],
      [8, 'velocity'],
    ])
    expect(r.warnings[2].message).toMatch(/C8 \(108\) is outside the Bass range 24–55/)
  })

  it('keeps a step whose notes were all skipped (as silence) so counts stay right; warns on stray ties and odd drums', () => {
    // line 6's tie holds the unreadable step on line 5 (silence), so it is not a stray tie
    const text = ['DRUMS', '^', 'A4:80', 'C2:90', '1 zzz', '5 ^'].join('\n')
    const r = parseTracker(text, { bpm: 120 })
    expect(r.steps).toBe(5)
    expect(r.events).toEqual([{ t: 0.25, d: 0.125, inst: 'kick', note: 36, vel: 90 }])
    expect(r.warnings.map((w) => [w.line, w.code])).toEqual([
      [2, 'tie'],
      [3, 'drum'],
      [5, 'syntax'],
      [5, 'numbering'],
    ])
  })

  it('throws a TrackerError naming the lines when step counts differ', () => {
    const text = `BASS\n${steps(16)}\nDRUMS\n${steps(15)}\nSAX\n${steps(16)}`
    try {
      parseTracker(text, { bpm: 100 })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(TrackerError)
      const err = e as TrackerError
      expect(err.code).toBe('step-count')
      expect(err.line).toBe(18)
      expect(err.expectedSteps).toBe(16)
      expect(err.counts).toEqual([
        { instrument: 'BASS', line: 1, steps: 16 },
        { instrument: 'DRUMS', line: 18, steps: 15 },
        { instrument: 'SAX', line: 34, steps: 16 },
      ])
      expect(err.message).toMatch(/^line 18: every instrument needs 16 steps .*DRUMS \(line 18\) has 15/)
    }
  })

  it('checks the count against bars × beatsPerBar × 4 when bars is given', () => {
    const text = `BASS\n${steps(32)}\nPIANO\n${steps(32)}`
    expect(parseTracker(text, { bpm: 100, bars: 2 }).steps).toBe(32)
    expect(parseTracker(text, { bpm: 100, bars: 2, beatsPerBar: 4 }).steps).toBe(32)
    expect(() => parseTracker(text, { bpm: 100, bars: 1 })).toThrow(/needs 16 steps/)
    expect(() => parseTracker(text, { bpm: 100, bars: 2, beatsPerBar: 3 })).toThrow(TrackerError)
  })

  it('throws when there is no instrument', () => {
    for (const text of ['', 'hello\nC4:80', 'BASS\n\n# nothing', '```\n```']) {
      expect(() => parseTracker(text, { bpm: 100 })).toThrowError(expect.objectContaining({ name: 'TrackerError', code: 'no-instrument' }))
    }
  })

  it('rejects options out of range, naming the field and the range', () => {
    expect(() => parseTracker('BASS\n.', { bpm: 10 })).toThrow(/bpm must be a number from 20 to 300/)
    expect(() => parseTracker('BASS\n.', { bpm: 100, swing: 0.9 })).toThrow(/swing must be a number from 0.5 to 0.75/)
    expect(() => parseTracker('BASS\n.', { bpm: 100, bars: 0 })).toThrow(/bars must be an integer from 1 to 16/)
    expect(() => parseTracker('BASS\n.', { bpm: 100, beatsPerBar: 2.5 })).toThrow(/beatsPerBar must be an integer/)
  })

  it('replaces a repeated header, with a warning', () => {
    const r = parseTracker('SAX\nC5:80\nSAX\nD5:70', { bpm: 120 })
    expect(r.events.map((e) => e.note)).toEqual([74])
    expect(r.warnings[0]).toMatchObject({ line: 3, code: 'ignored' })
  })

  it('rejects text over the protocol limit', () => {
    expect(() => parseTracker(`BASS\n${'.\n'.repeat(140_000)}`, { bpm: 100 })).toThrowError(expect.objectContaining({ code: 'too-large' }))
  })
})
