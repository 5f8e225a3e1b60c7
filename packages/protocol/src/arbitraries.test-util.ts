/**
 * fast-check arbitraries for valid protocol values (test-only; not exported from the package).
 * Every generated value satisfies every schema rule, refinements included.
 */
import fc from 'fast-check'
import { INSTRUMENT_IDS } from './instruments.js'
import { KEYS, LIMITS, MODES, PROTOCOL_VERSION, STYLES, sectionDuration, type Chord, type Controls, type ControlsRequest, type NoteEvent, type Section } from './music.js'
import { audioChunkToMessage, packOpusPackets, type AudioChunk } from './audio.js'
import type { AudioFormat, AudioMessage, ClientMessage, ControlsMessage, ErrorPayload, Hello, Reset, ServerMessage } from './messages.js'

/** A double in [min, max] (never NaN, never -0: JSON would turn -0 into 0). */
export const double = (min: number, max: number, extra: { minExcluded?: boolean; maxExcluded?: boolean } = {}) =>
  fc.double({ min, max, noNaN: true, ...extra }).map((x) => x + 0)

/** A string of at most `max` UTF-16 units (and at least `min` code points), any code point, lone surrogates included. */
export const text = (min: number, max: number) =>
  fc.string({ unit: 'binary', minLength: min, maxLength: Math.max(min, Math.floor(max / 2)) }).filter((s) => s.length <= max && s.length >= min)

export const arbKey = fc.constantFrom(...KEYS)
export const arbMode = fc.constantFrom(...MODES)
export const arbStyle = fc.constantFrom(...STYLES)
export const arbInstrument = fc.constantFrom(...INSTRUMENT_IDS)
export const arbBpm = fc.oneof(fc.integer({ min: LIMITS.bpm.min, max: LIMITS.bpm.max }), double(LIMITS.bpm.min, LIMITS.bpm.max))
export const arbIntensity = fc.oneof(fc.constantFrom(0, 1), double(0, 1))
/** Non-negative seconds/milliseconds. */
export const arbTime = fc.oneof(fc.constant(0), double(0, 1e12))

export const arbControls: fc.Arbitrary<Controls> = fc.record({ key: arbKey, mode: arbMode, bpm: arbBpm, intensity: arbIntensity, style: arbStyle })

export const arbControlsRequest: fc.Arbitrary<ControlsRequest> = fc
  .record({ key: arbKey, mode: arbMode, bpm: arbBpm, intensity: arbIntensity, style: arbStyle }, { requiredKeys: [] })
  .filter((c) => Object.keys(c).length > 0)

export const arbNoteEvent = (duration: number): fc.Arbitrary<NoteEvent> =>
  fc.record({
    t: fc.oneof(fc.constant(0), double(0, duration, { maxExcluded: true })),
    d: double(0, 64, { minExcluded: true }),
    inst: arbInstrument,
    note: fc.integer({ min: LIMITS.note.min, max: LIMITS.note.max }),
    vel: fc.integer({ min: LIMITS.velocity.min, max: LIMITS.velocity.max }),
  })

export const arbSection: fc.Arbitrary<Section> = fc
  .record({
    bpm: arbBpm,
    bars: fc.integer({ min: LIMITS.bars.min, max: LIMITS.bars.max }),
    beatsPerBar: fc.integer({ min: LIMITS.beatsPerBar.min, max: LIMITS.beatsPerBar.max }),
  })
  .chain((shape) => {
    const chord: fc.Arbitrary<Chord> = fc.record({
      bar: fc.integer({ min: 0, max: shape.bars - 1 }),
      beat: fc.oneof(fc.integer({ min: 0, max: shape.beatsPerBar - 1 }), double(0, shape.beatsPerBar, { maxExcluded: true })),
      symbol: text(1, 32),
    })
    return fc.record(
      {
        index: fc.nat(),
        startTime: arbTime,
        bar: fc.nat(),
        bpm: fc.constant(shape.bpm),
        bars: fc.constant(shape.bars),
        beatsPerBar: fc.constant(shape.beatsPerBar),
        key: arbKey,
        mode: arbMode,
        style: arbStyle,
        intensity: arbIntensity,
        swing: fc.oneof(fc.constantFrom(LIMITS.swing.min, LIMITS.swing.max), double(LIMITS.swing.min, LIMITS.swing.max)),
        chords: fc.array(chord, { maxLength: 8 }),
        events: fc.array(arbNoteEvent(sectionDuration(shape)), { maxLength: 40 }).map((es) => es.sort((a, b) => a.t - b.t)),
        tracker: text(0, 400),
        source: fc.constantFrom('algorithmic', 'llm', 'fallback') as fc.Arbitrary<Section['source']>,
      },
      { requiredKeys: ['index', 'startTime', 'bar', 'bpm', 'bars', 'beatsPerBar', 'key', 'mode', 'style', 'intensity', 'swing', 'chords', 'events', 'source'] },
    )
  })

export const arbAudioFormat: fc.Arbitrary<AudioFormat> = fc.record({
  codec: fc.constantFrom('opus', 'pcm16') as fc.Arbitrary<AudioFormat['codec']>,
  sampleRate: fc.oneof(fc.constantFrom(8000, 44_100, 48_000, 192_000), fc.integer({ min: 8000, max: 192_000 })),
  channels: fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>,
})

export const arbHello: fc.Arbitrary<Hello> = fc
  .record({
    protocol: fc.constant(PROTOCOL_VERSION) as fc.Arbitrary<typeof PROTOCOL_VERSION>,
    stream: text(1, 128),
    kind: fc.constantFrom('station', 'session') as fc.Arbitrary<Hello['kind']>,
    epoch: arbTime,
    serverTime: arbTime,
    controls: arbControls,
    mode: fc.constantFrom('events', 'audio') as fc.Arbitrary<Hello['mode']>,
    audio: fc.option(arbAudioFormat, { nil: undefined }),
  })
  .chain((h) =>
    h.mode === 'audio' && h.audio === undefined
      ? arbAudioFormat.map((audio) => ({ ...h, audio }))
      : fc.constant(h.audio === undefined ? (({ audio: _, ...rest }) => rest)(h) : h),
  )

/** An audio chunk whose payload matches its codec (packed Opus packets, or exactly frames × channels × 2 bytes). */
export const arbAudioChunk: fc.Arbitrary<AudioChunk> = fc
  .record({
    seq: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER), fc.maxSafeNat()),
    startTime: arbTime,
    codec: fc.constantFrom('opus', 'pcm16') as fc.Arbitrary<AudioChunk['codec']>,
    sampleRate: fc.oneof(fc.constantFrom(8000, 48_000, 192_000), fc.integer({ min: 8000, max: 192_000 })),
    channels: fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>,
  })
  .chain((h) =>
    h.codec === 'opus'
      ? fc
          .record({
            frames: fc.oneof(fc.constantFrom(1, 960, 4800, 192_000), fc.integer({ min: 1, max: 192_000 })),
            packets: fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 6 }),
          })
          .map(({ frames, packets }) => ({ ...h, frames, bytes: packOpusPackets(packets) }))
      : fc
          .integer({ min: 1, max: 300 })
          .chain((frames) => fc.uint8Array({ minLength: frames * h.channels * 2, maxLength: frames * h.channels * 2 }).map((bytes) => ({ ...h, frames, bytes }))),
  )

export const arbAudioMessage: fc.Arbitrary<AudioMessage> = arbAudioChunk.map(audioChunkToMessage)

export const arbControlsMessage: fc.Arbitrary<ControlsMessage> = fc.record({ controls: arbControls, bar: fc.nat(), time: arbTime })
export const arbReset: fc.Arbitrary<Reset> = fc.record({ reason: text(0, 512) })
export const arbError: fc.Arbitrary<ErrorPayload> = fc.record({ code: text(1, 64), message: text(0, 2048) })

/** One arbitrary per server message type. */
export const arbMessageOf = {
  hello: arbHello.map((data) => ({ type: 'hello' as const, data })),
  section: arbSection.map((data) => ({ type: 'section' as const, data })),
  controls: arbControlsMessage.map((data) => ({ type: 'controls' as const, data })),
  audio: arbAudioMessage.map((data) => ({ type: 'audio' as const, data })),
  reset: arbReset.map((data) => ({ type: 'reset' as const, data })),
  error: arbError.map((data) => ({ type: 'error' as const, data })),
} satisfies { [K in ServerMessage['type']]: fc.Arbitrary<Extract<ServerMessage, { type: K }>> }

/** Any valid server message. */
export const arbServerMessage: fc.Arbitrary<ServerMessage> = fc.oneof(...Object.values(arbMessageOf)) as fc.Arbitrary<ServerMessage>

/** Any valid client message. */
export const arbClientMessage: fc.Arbitrary<ClientMessage> = arbControlsRequest.map((data) => ({ type: 'controls' as const, data }))

/** A valid event id string: no LF/CR/NUL, well-formed Unicode, at most 255 UTF-8 bytes. */
export const arbEventIdString = fc
  .string({ unit: 'grapheme', maxLength: 40 })
  .filter((s) => !/[\0\r\n]/.test(s) && new TextEncoder().encode(s).length <= 255)

/** An event id as encoders take it: a string or a sequence number. */
export const arbEventId = fc.oneof(arbEventIdString, fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER))
