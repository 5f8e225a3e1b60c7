/** Test helpers: run the built `auralis` executable, make temp folders, read WAV files. Not part of the package. */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Path of the built executable. */
export const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js')

/** What a run of the executable gave. */
export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `node dist/bin.js ...args` in `cwd`. */
export function runBin(args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/** A fresh temporary folder and its remover. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'auralis-cli-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The chunks and format of a WAV file. */
export interface ParsedWav {
  riffSize: number
  format: number
  channels: number
  sampleRate: number
  byteRate: number
  blockAlign: number
  bitDepth: number
  factFrames?: number
  dataOffset: number
  dataSize: number
  /** Planar samples as floats (16-bit scaled by 1/32768). */
  samples: Float32Array[]
}

/** Parses a RIFF/WAVE file (PCM 16 or float 32), checking the chunk structure. */
export function parseWav(bytes: Uint8Array): ParsedWav {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const tag = (p: number) => String.fromCharCode(...bytes.subarray(p, p + 4))
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not RIFF/WAVE')
  const out: Partial<ParsedWav> = { riffSize: dv.getUint32(4, true) }
  let p = 12
  while (p + 8 <= bytes.length) {
    const id = tag(p)
    const size = dv.getUint32(p + 4, true)
    if (id === 'fmt ') {
      out.format = dv.getUint16(p + 8, true)
      out.channels = dv.getUint16(p + 10, true)
      out.sampleRate = dv.getUint32(p + 12, true)
      out.byteRate = dv.getUint32(p + 16, true)
      out.blockAlign = dv.getUint16(p + 20, true)
      out.bitDepth = dv.getUint16(p + 22, true)
    } else if (id === 'fact') {
      out.factFrames = dv.getUint32(p + 8, true)
    } else if (id === 'data') {
      out.dataOffset = p + 8
      out.dataSize = size
      break
    }
    p += 8 + size + (size & 1)
  }
  if (out.dataOffset === undefined || out.channels === undefined) throw new Error('no fmt or data chunk')
  const nch = out.channels
  const bps = out.bitDepth! / 8
  const frames = Math.floor(out.dataSize! / (nch * bps))
  const samples = Array.from({ length: nch }, () => new Float32Array(frames))
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const at = out.dataOffset + (i * nch + c) * bps
      samples[c][i] = bps === 2 ? dv.getInt16(at, true) / 32768 : dv.getFloat32(at, true)
    }
  }
  return { ...(out as ParsedWav), samples }
}
