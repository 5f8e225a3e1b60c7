/**
 * Decoding of `audio` chunks to planar Float32 frames placed on the stream's frame clock: PCM16 directly,
 * Opus through WebCodecs' `AudioDecoder` (one `EncodedAudioChunk` per 20 ms packet, raw packets need no
 * description).
 */
import { unpackOpusPackets, type AudioChunk } from '@auralis/protocol'
import { PlayerError } from './errors.js'

/** Receives decoded audio: `frames` frames of `planar[c]` starting at stream frame `frame`. */
export type DecodedSink = (frame: number, planar: Float32Array[], frames: number) => void

/** Stream frame (frames since the epoch) of a chunk's start. */
export function chunkStartFrame(chunk: Pick<AudioChunk, 'startTime' | 'sampleRate'>): number {
  return Math.round(chunk.startTime * chunk.sampleRate)
}

/**
 * Decodes interleaved little-endian int16 PCM to planar Float32 (`/ 32768`).
 * @throws PlayerError `protocol` when the byte count is not `frames × channels × 2`.
 */
export function decodePcm16(bytes: Uint8Array, channels: number, frames: number): Float32Array[] {
  if (bytes.length !== frames * channels * 2) throw new PlayerError('protocol', `pcm16 chunk holds ${bytes.length} bytes, expected frames × channels × 2 = ${frames * channels * 2}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = Array.from({ length: channels }, () => new Float32Array(frames))
  for (let i = 0, o = 0; i < frames; i++) for (let c = 0; c < channels; c++, o += 2) out[c][i] = view.getInt16(o, true) / 32768
  return out
}

/**
 * Frames an Opus encoder delays its input by (libopus's lookahead, `OPUS_GET_LOOKAHEAD`, at 48 kHz: the
 * "pre-skip" of Ogg Opus). Decoded audio is placed this much earlier so it plays at its own server time
 * (measured against the server's render: 6.8 ms late without it).
 */
export const OPUS_ENCODER_DELAY_48K = 312

/** Options of {@link OpusChunkDecoder}. */
export interface OpusDecoderOptions {
  /** Stream sample rate (48 000 for the demo server). */
  readonly sampleRate: number
  /** Channels. */
  readonly channels: number
  /** Where decoded frames go. */
  readonly sink: DecodedSink
  /** Encoder delay to compensate, in frames (default {@link OPUS_ENCODER_DELAY_48K} scaled to the sample rate). */
  readonly encoderDelayFrames?: number
  /** Called for each decode failure (the decoder is rebuilt for the next chunk). */
  readonly onError: (err: PlayerError) => void
}

/** Whether this environment has WebCodecs' `AudioDecoder`. */
export function hasAudioDecoder(): boolean {
  return typeof (globalThis as { AudioDecoder?: unknown }).AudioDecoder === 'function'
}

/**
 * Opus chunks → WebCodecs `AudioDecoder` → planar Float32 on the stream clock. Each packet carries its
 * timestamp (µs since the epoch), so output lands where it belongs even when the decoder batches it.
 */
export class OpusChunkDecoder {
  private decoder: AudioDecoder | undefined
  private errorCount = 0
  private packets = 0

  constructor(private readonly options: OpusDecoderOptions) {}

  /** Decode failures so far. */
  get errors(): number {
    return this.errorCount
  }

  /** Packets handed to the decoder. */
  get packetsDecoded(): number {
    return this.packets
  }

  /**
   * Checks that this browser decodes Opus in this format.
   * @throws PlayerError `audio-unavailable` when it does not.
   */
  static async check(sampleRate: number, channels: number): Promise<void> {
    if (!hasAudioDecoder()) throw new PlayerError('audio-unavailable', 'this browser has no WebCodecs AudioDecoder, needed to play Opus audio streams')
    const r = await AudioDecoder.isConfigSupported({ codec: 'opus', sampleRate, numberOfChannels: channels })
    if (!r.supported) throw new PlayerError('audio-unavailable', `this browser cannot decode Opus at ${sampleRate} Hz × ${channels}`)
  }

  private ensure(): AudioDecoder {
    if (this.decoder && this.decoder.state === 'configured') return this.decoder
    const { sampleRate, channels } = this.options
    const d = new AudioDecoder({
      output: (data) => this.output(data),
      error: (e) => this.fail(e),
    })
    d.configure({ codec: 'opus', sampleRate, numberOfChannels: channels })
    this.decoder = d
    return d
  }

  private fail(e: unknown): void {
    this.errorCount++
    this.decoder = undefined
    this.options.onError(new PlayerError('output', `Opus decode failed: ${(e as Error)?.message ?? String(e)}`, { cause: e }))
  }

  private output(data: AudioData): void {
    try {
      const n = data.numberOfFrames
      const delay = this.options.encoderDelayFrames ?? Math.round((OPUS_ENCODER_DELAY_48K * this.options.sampleRate) / 48_000)
      const frame = Math.round((data.timestamp * this.options.sampleRate) / 1e6) - delay
      const planar: Float32Array[] = []
      for (let c = 0; c < this.options.channels; c++) {
        const p = new Float32Array(n)
        data.copyTo(p, { planeIndex: Math.min(c, data.numberOfChannels - 1), format: 'f32-planar' })
        planar.push(p)
      }
      this.options.sink(frame, planar, n)
    } finally {
      data.close()
    }
  }

  /** Queues a chunk's packets for decoding. Bad input is reported through `onError`, never thrown. */
  decode(chunk: AudioChunk): void {
    let packets: Uint8Array[]
    try {
      packets = unpackOpusPackets(chunk.bytes)
    } catch (e) {
      this.errorCount++
      this.options.onError(new PlayerError('protocol', `bad Opus payload in audio chunk ${chunk.seq}: ${(e as Error).message}`, { cause: e }))
      return
    }
    if (packets.length === 0) return
    const per = chunk.frames / packets.length
    const start = chunkStartFrame(chunk)
    for (let i = 0; i < packets.length; i++) {
      try {
        const d = this.ensure()
        const timestamp = Math.round(((start + i * per) * 1e6) / chunk.sampleRate)
        d.decode(new EncodedAudioChunk({ type: 'key', timestamp, data: packets[i] }))
        this.packets++
      } catch (e) {
        this.fail(e)
      }
    }
  }

  /** Drops anything queued in the decoder. */
  reset(): void {
    try {
      this.decoder?.close()
    } catch {
      /* already closed */
    }
    this.decoder = undefined
  }
}
