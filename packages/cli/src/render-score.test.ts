import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseTracker, timeToStep, type FormName } from '@auralis/composition'
import { INSTRUMENTS, sectionDuration, type InstrumentId, type Section } from '@auralis/protocol'
import { parseMidi, type MidiEvent } from 'midi-file'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MusicOptions } from './options.js'
import type { RenderProgress } from './progress-info.js'
import { renderToFile, type RenderJob } from './render.js'
import { composeSections } from './sections.js'
import { tempDir } from './test-helpers.js'

const JAZZ: MusicOptions = { style: 'jazz', seed: 7, key: 'F', mode: 'ionian', bpm: 160, intensity: 0.7, form: 'rhythm-changes' as FormName }
const AMBIENT: MusicOptions = { style: 'ambient', seed: 11, key: 'Eb', mode: 'aeolian', bpm: 66, intensity: 0.5 }
let tmp: ReturnType<typeof tempDir>

beforeAll(() => {
  tmp = tempDir()
})
afterAll(() => tmp.remove())

function job(music: MusicOptions, name: string, seconds: number): RenderJob {
  const format = name.endsWith('.mid') ? 'mid' : 'txt'
  return { ...music, seconds, out: join(tmp.dir, name), format, sampleRate: 48000, channels: 2, bitDepth: 16 }
}

/** Note-ons in absolute ticks from midi-file's delta times. */
function noteOns(track: MidiEvent[]): { tick: number; channel: number; note: number; velocity: number }[] {
  let tick = 0
  const out: { tick: number; channel: number; note: number; velocity: number }[] = []
  for (const e of track) {
    tick += e.deltaTime
    if (e.type === 'noteOn' && e.velocity > 0) out.push({ tick, channel: e.channel, note: e.noteNumber, velocity: e.velocity })
  }
  return out
}

describe('MIDI output', () => {
  it.each([['jazz', JAZZ], ['ambient', AMBIENT]] as const)('%s: midi-file reads every note, its channel and velocity, and the tempo', async (_, music) => {
    const seconds = 20
    const progress: RenderProgress[] = []
    const summary = await renderToFile(job(music, `${music.style}.mid`, seconds), { onProgress: (p) => progress.push(p) })
    const sections = composeSections(music, seconds)
    const midi = parseMidi(new Uint8Array(await readFile(join(tmp.dir, `${music.style}.mid`))))
    expect(midi.header.format).toBe(1)
    const ppq = midi.header.ticksPerBeat!
    expect(ppq).toBe(480)

    const tempos = midi.tracks.flat().filter((e) => e.type === 'setTempo')
    expect(tempos.length).toBeGreaterThan(0)
    for (const t of tempos) expect(t.type === 'setTempo' && t.microsecondsPerBeat).toBe(Math.round(60_000_000 / music.bpm))

    // Every event of every section is a note-on at its time (in ticks at the constant tempo), key, velocity and channel.
    const expected = sections.flatMap((s) => s.events.map((e) => ({
      tick: Math.round(((s.startTime + e.t) * music.bpm / 60) * ppq),
      channel: INSTRUMENTS[e.inst as InstrumentId].channel,
      note: INSTRUMENTS[e.inst as InstrumentId].drumNote ?? e.note,
      velocity: e.vel,
    })))
    const got = midi.tracks.flatMap(noteOns)
    expect(got.length).toBe(expected.length)
    expect(got.length).toBeGreaterThan(music.style === 'jazz' ? 100 : 10)
    const key = (n: { tick: number; channel: number; velocity: number }) => `${n.channel}:${n.velocity}:${Math.round(n.tick / 2)}`
    expect(got.map(key).sort()).toEqual(expected.map(key).sort())
    const notes = (list: { channel: number; note: number }[]) => list.map((n) => `${n.channel}:${n.note}`).sort()
    expect(notes(got)).toEqual(notes(expected))
    if (music.style === 'jazz') expect(got.some((n) => n.channel === 9)).toBe(true)

    const end = sections.at(-1)!.startTime + sectionDuration(sections.at(-1)!)
    expect(summary).toMatchObject({ format: 'mid', sections: sections.length, seconds: end })
    expect(end).toBeGreaterThanOrEqual(seconds)
    expect(sections.at(-1)!.startTime).toBeLessThan(seconds)
    expect(progress.map((p) => p.fraction)).toEqual([...progress.map((p) => p.fraction)].sort((a, b) => a - b))
    expect(progress.at(-1)!.fraction).toBe(1)
  })
})

/** The section blocks of a tracker file: header fields and the block's text. */
function blocks(text: string): { header: Record<string, string>; text: string }[] {
  const parts = text.split(/\n(?=# section )/).slice(1)
  return parts.map((part) => {
    const first = part.slice(0, part.indexOf('\n'))
    const fields = Object.fromEntries(first.replace(/^# /, '').split(' · ').map((f) => {
      const i = f.indexOf(' ')
      return [f.slice(0, i), f.slice(i + 1)]
    }))
    return { header: fields, text: part }
  })
}

describe('tracker text output', () => {
  it.each([['jazz', JAZZ], ['ambient', AMBIENT]] as const)('%s: every section block reads back with parseTracker', async (_, music) => {
    const seconds = 16
    await renderToFile(job(music, `${music.style}.txt`, seconds))
    const text = await readFile(join(tmp.dir, `${music.style}.txt`), 'utf8')
    expect(text.split('\n')[0]).toBe(
      `# Auralis tracker text · style ${music.style} · seed ${music.seed} · ${music.key} ${music.mode} · bpm ${music.bpm} · ` +
        `intensity ${music.intensity}${music.style === 'jazz' ? ` · form ${music.form}` : ''} · ${seconds} s`)
    const sections: Section[] = composeSections(music, seconds)
    const found = blocks(text)
    expect(found.length).toBe(sections.length)
    found.forEach(({ header, text: block }, i) => {
      const s = sections[i]
      expect(header.section).toBe(String(s.index))
      expect(header.bar).toBe(String(s.bar))
      expect(Number(header.bpm)).toBe(s.bpm)
      expect(header.bars).toBe(`${s.bars} × ${s.beatsPerBar}`)
      expect(Number(header.swing)).toBe(s.swing)
      const [m, sec] = header.at.split(':').map(Number)
      expect(m * 60 + sec).toBeCloseTo(s.startTime, 3)
      const parsed = parseTracker(block, { bpm: Number(header.bpm), swing: Number(header.swing), bars: s.bars, beatsPerBar: s.beatsPerBar })
      expect(parsed.warnings).toEqual([])
      expect(parsed.steps).toBe(s.bars * s.beatsPerBar * 4)
      // The same onsets (instrument, key, 16th step) as the composed section; the text rounds times to the grid.
      const onsets = (events: readonly { t: number; inst: string; note: number }[]) =>
        [...new Set(events.map((e) => `${e.inst}:${e.note}:${Math.round(timeToStep(e.t, s.bpm, s.swing))}`))].sort()
      expect(onsets(parsed.events)).toEqual(onsets(s.events))
    })
  })
})
