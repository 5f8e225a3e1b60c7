/**
 * The render pipeline: compose sections as needed and write them as WAV (streamed block by block through
 * synth-core's stream renderer), MIDI or tracker text. The output is written to a temporary file next to
 * the target and renamed into place at the end, so a failed or interrupted render leaves no half file.
 */
import { rename, rm, writeFile } from 'node:fs/promises'
import { toMidi } from '@auralis/composition'
import type { Section } from '@auralis/protocol'
import { createStreamRenderer } from '@auralis/synth-core'
import { applyFadeOut, fadeFrames } from './fade.js'
import type { RenderOptions } from './options.js'
import { progressAt, type RenderProgress } from './progress-info.js'
import { sectionEnd, sectionsFor } from './sections.js'
import { sectionBlock, trackerFileHeader } from './text-output.js'
import { createWavFileWriter } from './wav-writer.js'

/** What {@link renderToFile} needs: a checked render (see `parseCommandLine`) less the display flags. */
export type RenderJob = Omit<RenderOptions, 'quiet'>

/** Hooks into a running render. */
export interface RenderHooks {
  /** Called after every block (WAV) or section (MIDI, text), with monotonic progress; last with fraction 1. */
  onProgress?: (progress: RenderProgress) => void
  /** Aborts the render: it rejects with the signal's reason and removes its temporary file. */
  signal?: AbortSignal
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number
}

/** What a finished render wrote. */
export interface RenderSummary {
  /** The file written. */
  out: string
  /** Its format. */
  format: RenderOptions['format']
  /** Its size in bytes. */
  bytes: number
  /** Sections composed. */
  sections: number
  /** Seconds of output (WAV: exactly the requested length; MIDI and text: up to the end of the last section). */
  seconds: number
  /** Wall-clock milliseconds the render took. */
  elapsedMs: number
  /** Output seconds per wall-clock second. */
  speed: number
}

/** Frames rendered and written per block of a WAV render. */
export const BLOCK_FRAMES = 8192
/** Sections are scheduled this many seconds before the render reaches them (more than the limiter's look-ahead). */
export const SCHEDULE_AHEAD_SECONDS = 1

interface Ctx {
  job: RenderJob
  hooks: RenderHooks
  now: () => number
  t0: number
  last: number
}

function report(ctx: Ctx, done: number, total: number): void {
  const p = progressAt(done, total, ctx.now() - ctx.t0)
  if (p.fraction < ctx.last) p.fraction = ctx.last
  ctx.last = p.fraction
  ctx.hooks.onProgress?.(p)
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted')
}

async function writeWav(ctx: Ctx, tmp: string): Promise<{ bytes: number; sections: number; seconds: number }> {
  const { job } = ctx
  const sr = job.sampleRate
  const total = Math.round(job.seconds * sr)
  const fade = fadeFrames(total, sr)
  const renderer = createStreamRenderer({ sampleRate: sr, channels: job.channels, seed: job.seed, origin: 0 })
  const writer = await createWavFileWriter(tmp, { sampleRate: sr, channels: job.channels, bitDepth: job.bitDepth })
  const score = sectionsFor(job, job.seconds)
  let next: Section | undefined = score.next().value ?? undefined
  let sections = 0
  try {
    for (let pos = 0; pos < total; ) {
      checkAbort(ctx.hooks.signal)
      const n = Math.min(BLOCK_FRAMES, total - pos)
      const horizon = (pos + n) / sr + SCHEDULE_AHEAD_SECONDS
      while (next && next.startTime < horizon) {
        renderer.schedule(next)
        sections++
        next = score.next().value ?? undefined
      }
      const block = renderer.render(n)
      applyFadeOut(block, pos, total, fade)
      await writer.write(block)
      pos += n
      report(ctx, pos / sr, total / sr)
    }
    return { bytes: await writer.close(), sections, seconds: total / sr }
  } catch (err) {
    await writer.abort()
    throw err
  }
}

async function writeScore(ctx: Ctx, tmp: string): Promise<{ bytes: number; sections: number; seconds: number }> {
  const { job } = ctx
  const list: Section[] = []
  const blocks: string[] = []
  let end = 0
  for (const s of sectionsFor(job, job.seconds)) {
    checkAbort(ctx.hooks.signal)
    list.push(s)
    if (job.format === 'txt') blocks.push(sectionBlock(s))
    end = sectionEnd(s)
    report(ctx, Math.min(end, job.seconds), job.seconds)
  }
  const bytes = job.format === 'mid'
    ? toMidi(list, { name: `Auralis ${job.style} · seed ${job.seed}` })
    : new TextEncoder().encode(`${trackerFileHeader(job, job.seconds)}\n\n${blocks.join('\n\n')}\n`)
  await writeFile(tmp, bytes)
  return { bytes: bytes.length, sections: list.length, seconds: end }
}

/**
 * Renders `job` to `job.out`: WAV through synth-core's stream renderer (the file is written as blocks are
 * rendered, memory stays flat however long the render), MIDI with the composition package's `toMidi`, tracker
 * text with a `#` header line per section. Rejects with the underlying error (nothing is left at `job.out`
 * or beside it); composition and synth-core errors pass through unchanged.
 */
export async function renderToFile(job: RenderJob, hooks: RenderHooks = {}): Promise<RenderSummary> {
  const now = hooks.now ?? (() => performance.now())
  const ctx: Ctx = { job, hooks, now, t0: now(), last: 0 }
  const tmp = `${job.out}.${process.pid}.partial`
  let result: { bytes: number; sections: number; seconds: number }
  try {
    result = job.format === 'wav' ? await writeWav(ctx, tmp) : await writeScore(ctx, tmp)
    await rename(tmp, job.out)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  const elapsedMs = now() - ctx.t0
  const final = progressAt(job.format === 'wav' ? result.seconds : job.seconds, job.format === 'wav' ? result.seconds : job.seconds, elapsedMs)
  hooks.onProgress?.(final)
  return {
    out: job.out, format: job.format, bytes: result.bytes, sections: result.sections, seconds: result.seconds,
    elapsedMs, speed: final.speed,
  }
}
