/**
 * Progress display on stderr: a cli-progress bar with speed (× real time) and ETA on a terminal, a plain
 * line every few seconds when stderr is a file or pipe, nothing when quiet.
 */
import { Presets, SingleBar } from 'cli-progress'
import { formatClock, formatSpeed } from './format.js'
import type { RenderProgress } from './progress-info.js'

/** The stream progress is written to (process.stderr, or anything with `write`). */
export interface ProgressStream {
  /** Writes text. */
  write(chunk: string): unknown
  /** True on a terminal. */
  isTTY?: boolean
}

/** Options of {@link createProgressReporter}. */
export interface ReporterOptions {
  /** Write nothing. */
  quiet?: boolean
  /** Bar (`tty`) or lines (`lines`); default: `tty` when the stream is a TTY. */
  mode?: 'tty' | 'lines'
  /** Minimum milliseconds between plain lines (default 5000); the first and the last line always print. */
  intervalMs?: number
  /** What is being rendered, e.g. `jazz.wav`. */
  label?: string
}

/** Receives progress and draws it. */
export interface ProgressReporter {
  /** Shows `progress`. */
  update(progress: RenderProgress): void
  /** Finishes the display (the bar's last frame stays; the cursor is restored). */
  stop(): void
}

/** A plain progress line: `jazz.wav: 42% · 0:25 of 1:00 · 13.1× real time · ETA 0:03`. */
export function progressLine(p: RenderProgress, label = 'render'): string {
  return `${label}: ${Math.floor(p.fraction * 100)}% · ${formatClock(p.done)} of ${formatClock(p.total)} · ` +
    `${formatSpeed(p.speed)} real time · ETA ${formatClock(p.etaSeconds)}`
}

const STEPS = 1000

/** Creates the reporter for `stream`. */
export function createProgressReporter(stream: ProgressStream, options: ReporterOptions = {}): ProgressReporter {
  if (options.quiet) return { update() {}, stop() {} }
  const label = options.label ?? 'render'
  const mode = options.mode ?? (stream.isTTY ? 'tty' : 'lines')
  if (mode === 'lines') {
    const interval = options.intervalMs ?? 5000
    let lastAt = -Infinity
    let lastFraction = -1
    return {
      update(p) {
        const finished = p.fraction >= 1
        if (finished ? lastFraction >= 1 : p.elapsedMs - lastAt < interval) return
        lastAt = p.elapsedMs
        lastFraction = p.fraction
        stream.write(`${progressLine(p, label)}\n`)
      },
      stop() {},
    }
  }
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format: `${label} {bar} {percentage}% | {doneText} of {totalText} | {speedText} real time | ETA {etaText}`,
    hideCursor: true,
    barsize: 30,
    fps: 10,
  }, Presets.shades_classic)
  let started = false
  const payload = (p: RenderProgress) => ({
    doneText: formatClock(p.done), totalText: formatClock(p.total), speedText: formatSpeed(p.speed), etaText: formatClock(p.etaSeconds),
  })
  return {
    update(p) {
      const value = Math.round(p.fraction * STEPS)
      if (!started) {
        bar.start(STEPS, value, payload(p))
        started = true
      } else {
        bar.update(value, payload(p))
      }
    },
    stop() {
      if (started) bar.stop()
    },
  }
}
