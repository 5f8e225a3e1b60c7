/**
 * Incremental WAV writing: the header first (sizes zero), then each block's samples as they are rendered,
 * then the header again with the real sizes. Sample conversion and the header layout are synth-core's
 * `encodeWav` (a block is encoded with it and its header dropped), so the file is byte for byte what
 * `encodeWav` gives for the whole render; this module only patches the size fields.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { encodeWav } from '@auralis/synth-core'

/** The sample format of a WAV file. */
export interface WavFormat {
  /** Frames per second. */
  sampleRate: number
  /** 1 or 2. */
  channels: number
  /** 16 (PCM) or 32 (float). */
  bitDepth: 16 | 32
}

const UINT32_MAX = 0xffff_ffff

function emptyAudio(format: WavFormat): { channels: Float32Array[]; sampleRate: number } {
  return { channels: Array.from({ length: format.channels }, () => new Float32Array(0)), sampleRate: format.sampleRate }
}

/**
 * The WAV header for `frames` frames of `format` (RIFF, fmt, for floats a fact chunk, then the data chunk's
 * header). Throws synth-core's RangeError for an unsupported bit depth or channel count.
 */
export function wavHeader(format: WavFormat, frames: number): Uint8Array {
  const header = encodeWav(emptyAudio(format), { bitDepth: format.bitDepth })
  const dv = new DataView(header.buffer, header.byteOffset, header.byteLength)
  const dataBytes = frames * format.channels * (format.bitDepth / 8)
  if (header.length - 8 + dataBytes > UINT32_MAX) throw new RangeError('audio too long for a WAV file (4 GiB)')
  dv.setUint32(4, header.length - 8 + dataBytes, true)
  for (let p = 12; p + 8 <= header.length; ) {
    const id = String.fromCharCode(header[p], header[p + 1], header[p + 2], header[p + 3])
    const size = dv.getUint32(p + 4, true)
    if (id === 'fact') dv.setUint32(p + 8, frames, true)
    if (id === 'data') {
      dv.setUint32(p + 4, dataBytes, true)
      break
    }
    p += 8 + size
  }
  return header
}

/** The most frames a WAV file of `format` can hold (its sizes are 32-bit). */
export function maxWavFrames(format: WavFormat): number {
  const headerBytes = wavHeader(format, 0).length
  return Math.floor((UINT32_MAX - (headerBytes - 8)) / (format.channels * (format.bitDepth / 8)))
}

/** Encodes planar samples as WAV sample data (interleaved, no header), exactly as `encodeWav` does. */
export function encodeWavSamples(channels: readonly Float32Array[], format: WavFormat): Uint8Array {
  const headerBytes = wavHeader(format, 0).length
  return encodeWav({ channels: [...channels], sampleRate: format.sampleRate }, { bitDepth: format.bitDepth }).subarray(headerBytes)
}

/** A WAV file being written block by block. */
export interface WavFileWriter {
  /** Frames written so far. */
  readonly frames: number
  /** Appends one block (planar, one array per channel, equal lengths). */
  write(block: readonly Float32Array[]): Promise<void>
  /** Writes the final sizes into the header and closes the file; resolves to the file's size in bytes. */
  close(): Promise<number>
  /** Closes the file without finishing it (the caller removes it). */
  abort(): Promise<void>
}

/** Opens (creates or truncates) `path` and writes a WAV header whose sizes {@link WavFileWriter.close} fills in. */
export async function createWavFileWriter(path: string, format: WavFormat): Promise<WavFileWriter> {
  const headerBytes = wavHeader(format, 0).length
  const limit = maxWavFrames(format)
  const frameBytes = format.channels * (format.bitDepth / 8)
  const file: FileHandle = await open(path, 'w')
  let frames = 0
  let closed = false
  try {
    await file.write(wavHeader(format, 0), 0, headerBytes, 0)
  } catch (err) {
    await file.close()
    throw err
  }
  return {
    get frames() {
      return frames
    },
    async write(block) {
      if (closed) throw new Error('WAV writer is closed')
      if (block.length !== format.channels) throw new RangeError(`expected ${format.channels} channels, got ${block.length}`)
      const n = block[0].length
      if (frames + n > limit) throw new RangeError('audio too long for a WAV file (4 GiB)')
      const bytes = encodeWav({ channels: [...block], sampleRate: format.sampleRate }, { bitDepth: format.bitDepth })
      await file.write(bytes, headerBytes, bytes.length - headerBytes, headerBytes + frames * frameBytes)
      frames += n
    },
    async close() {
      if (closed) throw new Error('WAV writer is closed')
      closed = true
      const header = wavHeader(format, frames)
      try {
        await file.write(header, 0, header.length, 0)
      } finally {
        await file.close()
      }
      return headerBytes + frames * frameBytes
    },
    async abort() {
      if (closed) return
      closed = true
      await file.close()
    },
  }
}
