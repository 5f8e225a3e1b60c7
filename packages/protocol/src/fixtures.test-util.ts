/**
 * Realistic sample messages for tests and the bench (test-only; not exported from the package).
 * Each function returns a fresh object, so tests may mutate it.
 */
import { packOpusPackets, audioChunkToMessage } from './audio.js'
import type { NoteEvent, Section } from './music.js'
import type { ServerMessage, MessageData } from './messages.js'

/** A two-bar jazz section at 96 bpm with exactly 60 note events (drums, bass, piano, lead), sorted by `t`. */
export function sampleSection(): MessageData<'section'> {
  const bpm = 96
  const beat = 60 / bpm
  const events: NoteEvent[] = []
  const round = (x: number) => Math.round(x * 1e6) / 1e6
  for (let b = 0; b < 8; b++) {
    const t0 = b * beat
    events.push({ t: round(t0), d: round(beat / 2), inst: 'ride', note: 51, vel: 70 + (b % 2) * 12 })
    events.push({ t: round(t0 + beat * 0.66), d: round(beat / 3), inst: 'hat', note: 42, vel: 48 })
    events.push({ t: round(t0), d: round(beat * 0.9), inst: 'bass', note: 36 + ((b * 5) % 12), vel: 92 })
    if (b % 2 === 1) events.push({ t: round(t0), d: round(beat / 4), inst: 'snare', note: 38, vel: 64 })
    if (b % 4 === 0) {
      for (const n of [55, 58, 62, 65]) events.push({ t: round(t0 + 0.01), d: round(beat * 1.8), inst: 'piano', note: n + (b === 4 ? 5 : 0), vel: 72 })
    }
  }
  while (events.length < 60) {
    const i = events.length
    events.push({ t: round((i % 16) * beat * 0.5 + 0.02), d: round(beat * 0.45), inst: 'sax', note: 62 + (i * 7) % 12, vel: 80 + (i % 20) })
  }
  events.sort((a, b) => a.t - b.t)
  const section: Section = {
    index: 41,
    startTime: 205.5,
    bar: 82,
    bpm,
    bars: 2,
    beatsPerBar: 4,
    key: 'Bb',
    mode: 'dorian',
    style: 'jazz',
    intensity: 0.62,
    swing: 0.62,
    chords: [
      { bar: 0, beat: 0, symbol: 'Cm7' },
      { bar: 0, beat: 2, symbol: 'F7' },
      { bar: 1, beat: 0, symbol: 'Bbmaj7' },
      { bar: 1, beat: 2, symbol: 'G7alt' },
    ],
    events,
    tracker: 'bar 82 | Cm7 . F7 . | Bbmaj7 . G7alt . |\nsax  | D4 . F4 A4 | Bb4 . . G4 |',
    source: 'algorithmic',
  }
  return section
}

/** A `hello` for an events-mode station. */
export function sampleHello(): MessageData<'hello'> {
  return {
    protocol: 1,
    stream: 'late-night-jazz',
    kind: 'station',
    epoch: 1_767_225_600_000,
    serverTime: 1_767_225_805_512.25,
    controls: { key: 'Bb', mode: 'dorian', bpm: 96, intensity: 0.62, style: 'jazz' },
    mode: 'events',
  }
}

/** A 100 ms Opus chunk (five 20 ms packets). */
export function sampleAudio(): MessageData<'audio'> {
  const packets = Array.from({ length: 5 }, (_, i) => Uint8Array.from({ length: 160 }, (_, j) => (i * 31 + j * 7) & 255))
  return audioChunkToMessage({ seq: 2055, startTime: 205.5, codec: 'opus', sampleRate: 48_000, channels: 2, frames: 4800, bytes: packOpusPackets(packets) })
}

/** One valid message of every type. */
export function sampleMessages(): ServerMessage[] {
  return [
    { type: 'hello', data: sampleHello() },
    { type: 'section', data: sampleSection() },
    { type: 'controls', data: { controls: { key: 'C', mode: 'lydian', bpm: 72, intensity: 0.3, style: 'ambient' }, bar: 12, time: 40 } },
    { type: 'audio', data: sampleAudio() },
    { type: 'reset', data: { reason: 'Last-Event-ID 12 is older than the replay log (oldest 480)' } },
    { type: 'error', data: { code: 'bad_request', message: 'bpm: Too big: expected number to be <=300' } },
  ]
}
