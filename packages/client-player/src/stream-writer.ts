/**
 * The producer side of the streamed-audio output: places decoded blocks, by their stream frame, into a
 * {@link RingBuffer} that the AudioWorklet plays. The ring always holds contiguous stream frames, so the
 * worklet knows every element's time from the ring's start frame alone:
 * - a block that repeats frames already written (a replay after a resume) is trimmed or dropped;
 * - a short gap (a lost chunk) is filled with silence that starts from the last value written (no step) and
 *   the block after it fades in, so the seam does not click;
 * - a long gap, or a ring too full for the block (the worklet is not draining it), starts a new ring at the
 *   block: the oldest audio is dropped and counted as an overrun.
 */
import { RingBuffer } from '@auralis/ring-buffer'

/** Options of a {@link StreamWriter}. */
export interface StreamWriterOptions {
  /** Channels of the stream. */
  readonly channels: number
  /** Sample rate of the stream. */
  readonly sampleRate: number
  /** Ring capacity in frames (default 4 s). */
  readonly capacityFrames?: number
  /** Gaps longer than this (frames) start a new ring instead of being filled with silence (default 1 s). */
  readonly maxGapFrames?: number
  /** Fade-in after a filled gap, frames (default 240 = 5 ms at 48 kHz). */
  readonly fadeFrames?: number
  /** Called with each new ring and the stream frame of its first element (post both to the worklet). */
  readonly onRing: (ring: RingBuffer<Float32Array>, frame: number) => void
}

/** Counters of a {@link StreamWriter}. */
export interface StreamWriterStats {
  /** Frames written to rings (audio and gap silence). */
  framesWritten: number
  /** Frames received again (replays) and dropped. */
  duplicateFrames: number
  /** Gaps filled with silence, and their frames. */
  gaps: number
  /** Frames of silence written into gaps. */
  gapFrames: number
  /** Times the ring was full and its buffered audio was dropped (oldest first) for newer audio. */
  overruns: number
  /** Frames dropped by overruns. */
  overrunFrames: number
  /** Rings started (the first one included). */
  rings: number
}

/** Writes decoded audio into the playout ring at its stream position (see the module comment). */
export class StreamWriter {
  private ring: RingBuffer<Float32Array> | undefined
  /** Stream frame the next element written to the ring stands for. */
  private writeFrame: number | undefined
  private readonly last: Float32Array
  private readonly ch: number
  private readonly capacity: number
  private readonly maxGap: number
  private readonly fade: number
  private scratch: Float32Array[] = []
  /** Counters. */
  readonly stats: StreamWriterStats = { framesWritten: 0, duplicateFrames: 0, gaps: 0, gapFrames: 0, overruns: 0, overrunFrames: 0, rings: 0 }

  /** @throws RangeError for bad options. */
  constructor(private readonly options: StreamWriterOptions) {
    if (!(Number.isInteger(options.channels) && options.channels >= 1 && options.channels <= 8)) throw new RangeError(`channels must be 1…8, got ${options.channels}`)
    if (!(options.sampleRate > 0)) throw new RangeError(`sampleRate must be positive, got ${options.sampleRate}`)
    this.ch = options.channels
    this.capacity = Math.round(options.capacityFrames ?? 4 * options.sampleRate)
    this.maxGap = Math.round(options.maxGapFrames ?? options.sampleRate)
    this.fade = Math.max(1, Math.round(options.fadeFrames ?? (options.sampleRate * 5) / 1000))
    if (!(this.capacity > 0)) throw new RangeError(`capacityFrames must be positive, got ${this.capacity}`)
    this.last = new Float32Array(this.ch)
  }

  /** Stream frame after the last one written (undefined before the first block or after {@link StreamWriter.reset}). */
  get endFrame(): number | undefined {
    return this.writeFrame
  }

  /** The ring in use. */
  get currentRing(): RingBuffer<Float32Array> | undefined {
    return this.ring
  }

  /**
   * Writes `frames` frames of planar audio (`planar[c][0…frames)`) that start at stream frame `frame`.
   * The arrays may be modified (fade-in after a gap).
   * @throws RangeError when the channel count or the lengths do not match.
   */
  write(frame: number, planar: readonly Float32Array[], frames = planar[0]?.length ?? 0): void {
    if (planar.length !== this.ch) throw new RangeError(`expected ${this.ch} channels, got ${planar.length}`)
    if (!Number.isInteger(frame)) throw new RangeError(`frame must be an integer, got ${frame}`)
    for (const p of planar) if (p.length < frames) throw new RangeError(`a channel holds ${p.length} frames, fewer than ${frames}`)
    if (frames <= 0) return
    let offset = 0
    if (this.writeFrame === undefined || !this.ring) this.restart(frame)
    else if (frame + frames <= this.writeFrame) {
      this.stats.duplicateFrames += frames
      return
    } else if (frame < this.writeFrame) {
      offset = this.writeFrame - frame
      this.stats.duplicateFrames += offset
    } else if (frame > this.writeFrame) {
      const gap = frame - this.writeFrame
      if (gap > this.maxGap) this.restart(frame)
      else {
        if (!this.ensureRoom(gap + frames, frame)) {
          this.writeSilence(gap)
          this.stats.gaps++
          this.stats.gapFrames += gap
        }
        fadeIn(planar, frames, this.fade)
      }
    }
    const n = frames - offset
    this.ensureRoom(n, frame + offset)
    const pushed = this.ring!.pushFrames(planar, n, offset)
    this.stats.framesWritten += pushed
    this.writeFrame! += pushed
    for (let c = 0; c < this.ch; c++) this.last[c] = planar[c][frames - 1]
  }

  /** Starts over: the next block starts a new ring wherever it lands. */
  reset(): void {
    this.writeFrame = undefined
    this.ring = undefined
    this.last.fill(0)
  }

  /** Makes room for `frames` frames; when the ring cannot hold them, starts a new ring at `frame`. Returns whether it restarted. */
  private ensureRoom(frames: number, frame: number): boolean {
    const ring = this.ring!
    if (Math.floor(ring.availableWrite / this.ch) >= frames) return false
    this.stats.overruns++
    this.stats.overrunFrames += Math.floor(ring.availableRead / this.ch)
    this.restart(frame)
    return true
  }

  private restart(frame: number): void {
    const ring = RingBuffer.create(this.capacity * this.ch, Float32Array)
    this.ring = ring
    this.writeFrame = frame
    this.last.fill(0)
    this.stats.rings++
    this.options.onRing(ring, frame)
  }

  /** Writes `frames` frames of silence, decaying from the last value written (no step). */
  private writeSilence(frames: number): void {
    if (this.scratch.length === 0) this.scratch = Array.from({ length: this.ch }, () => new Float32Array(1024))
    let left = frames
    let k = 0
    while (left > 0) {
      const n = Math.min(left, 1024)
      for (let c = 0; c < this.ch; c++) {
        const s = this.scratch[c]
        for (let i = 0; i < n; i++) s[i] = this.last[c] * Math.exp(-(k + i + 1) / 24)
      }
      this.ring!.pushFrames(this.scratch, n)
      left -= n
      k += n
    }
    this.last.fill(0)
    this.writeFrame! += frames
    this.stats.framesWritten += frames
  }
}

/** Fades the first `fade` frames of a block in (linear ramp from 0). */
export function fadeIn(planar: readonly Float32Array[], frames: number, fade: number): void {
  const n = Math.min(frames, fade)
  for (const p of planar) for (let i = 0; i < n; i++) p[i] *= i / fade
}
