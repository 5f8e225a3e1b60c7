import { Encoder } from '@evan/opus'
import { packOpusPackets, type AudioCodec } from '@auralis/protocol'

/** Encodes one chunk of interleaved Float32 frames into an `audio` payload. */
export interface ChunkEncoder {
  readonly codec: AudioCodec
  /** Encodes `frames` interleaved frames (a multiple of 20 ms for Opus) into the payload bytes. */
  encode(interleaved: Float32Array, frames: number): Uint8Array
}

/** Float32 [-1, 1] → int16, clamped (the limiter keeps peaks ≤ −1 dBFS, so clamping is a safety net only). */
export function floatToInt16(src: Float32Array, dst: Int16Array, length: number): void {
  for (let i = 0; i < length; i++) {
    const v = src[i]
    dst[i] = v >= 1 ? 32767 : v <= -1 ? -32768 : Math.round(v * 32767)
  }
}

/** Interleaved little-endian int16 PCM. */
export function createPcm16Encoder(channels: number): ChunkEncoder {
  return {
    codec: 'pcm16',
    encode(interleaved, frames) {
      const samples = new Int16Array(frames * channels)
      floatToInt16(interleaved, samples, samples.length)
      return new Uint8Array(samples.buffer) // little-endian on every platform Node runs on
    },
  }
}

/** Options of {@link createOpusEncoder}. */
export interface OpusOptions {
  sampleRate: 48000
  channels: 1 | 2
  /** Bits per second (default 64,000; the server's streams use `DEFAULT_OPUS_BITRATE`). */
  bitrate?: number
  /** Packet length in ms (default 20). */
  packetMs?: 20
}

/** Opus (via `@evan/opus`, native with a wasm fallback): raw 20 ms packets, packed with their lengths. */
export function createOpusEncoder({ sampleRate, channels, bitrate = 64_000 }: OpusOptions): ChunkEncoder {
  const encoder = new Encoder({ channels, sample_rate: sampleRate, application: 'audio' })
  encoder.bitrate = bitrate
  encoder.signal = 'music'
  const packetFrames = (sampleRate * 20) / 1000
  const pcm = new Int16Array(packetFrames * channels)
  return {
    codec: 'opus',
    encode(interleaved, frames) {
      if (frames % packetFrames !== 0) throw new RangeError(`opus chunks must be a multiple of ${packetFrames} frames (got ${frames})`)
      const packets: Uint8Array[] = []
      for (let f = 0; f < frames; f += packetFrames) {
        floatToInt16(interleaved.subarray(f * channels, (f + packetFrames) * channels), pcm, pcm.length)
        packets.push(encoder.encode(pcm).slice())
      }
      return packOpusPackets(packets)
    },
  }
}
