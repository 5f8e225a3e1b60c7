/** WAV (RIFF) encoding of rendered audio: 16-bit PCM or 32-bit IEEE float, interleaved, little-endian. */
import type { RenderedAudio } from './render.js'

/** Options of {@link encodeWav}. */
export interface WavOptions {
  /** 16 (PCM, rounded and clipped) or 32 (float). Default 16. */
  bitDepth?: 16 | 32
}

/** Encodes planar audio as a WAV file. */
export function encodeWav(audio: RenderedAudio, options: WavOptions = {}): Uint8Array {
  const bitDepth = options.bitDepth ?? 16
  if (bitDepth !== 16 && bitDepth !== 32) throw new RangeError(`bitDepth must be 16 or 32 (got ${bitDepth})`)
  const chans = audio.channels
  const nch = chans.length
  if (nch < 1) throw new RangeError('audio has no channels')
  const frames = chans[0].length
  for (const c of chans) if (c.length !== frames) throw new RangeError('channels differ in length')
  const sr = Math.round(audio.sampleRate)
  const bytesPer = bitDepth / 8
  const dataBytes = frames * nch * bytesPer
  const float = bitDepth === 32
  const fmtBytes = float ? 18 : 16
  const factBytes = float ? 12 : 0
  const total = 12 + 8 + fmtBytes + factBytes + 8 + dataBytes
  if (total - 8 > 0xffff_ffff) throw new RangeError('audio too long for a WAV file (4 GiB)')
  const out = new Uint8Array(total)
  const dv = new DataView(out.buffer)
  let p = 0
  const str = (s: string): void => {
    for (let i = 0; i < s.length; i++) out[p++] = s.charCodeAt(i)
  }
  const u32 = (v: number): void => {
    dv.setUint32(p, v, true)
    p += 4
  }
  const u16 = (v: number): void => {
    dv.setUint16(p, v, true)
    p += 2
  }
  str('RIFF'); u32(total - 8); str('WAVE')
  str('fmt '); u32(fmtBytes)
  u16(float ? 3 : 1); u16(nch); u32(sr); u32(sr * nch * bytesPer); u16(nch * bytesPer); u16(bitDepth)
  if (float) u16(0)
  if (float) {
    str('fact'); u32(4); u32(frames)
  }
  str('data'); u32(dataBytes)
  if (float) {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < nch; c++) {
        dv.setFloat32(p, chans[c][i], true)
        p += 4
      }
    }
  } else {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < nch; c++) {
        const x = chans[c][i]
        let s = Math.round((x !== x ? 0 : x) * 32767)
        if (s > 32767) s = 32767
        else if (s < -32768) s = -32768
        dv.setInt16(p, s, true)
        p += 2
      }
    }
  }
  return out
}
