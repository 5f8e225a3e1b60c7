import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { RingBuffer } from '@auralis/ring-buffer'
import { audioChunkToMessage, sectionDuration, type AudioFormat, type Section } from '@auralis/protocol'
import { systemClock, type Clock, type PublishPort } from '../stream/types.js'
import { createOpusEncoder, createPcm16Encoder, type ChunkEncoder } from './encode.js'
import type { RenderWorkerData, RenderWorkerMessage, RenderWorkerReport } from './render-protocol.js'

/**
 * Default Opus bitrate: 48 kbit/s. Measured here, 64 kbit/s Opus costs ≈98 kbit/s per SSE listener once base64
 * (×4/3) and the JSON envelope of ten messages a second are added; 48 kbit/s lands at ≈75 kbit/s, inside the
 * 80 kbit/s budget, and ≈50 kbit/s over binary WebSocket frames. One encode serves every transport.
 */
export const DEFAULT_OPUS_BITRATE = 48_000

/** What one published audio chunk looked like (for metrics and logs). */
export interface AudioChunkReport {
  seq: number
  bytes: number
  /** Seconds between publishing and the chunk's start: negative when rendering fell behind real time. */
  leadSeconds: number
}

/** Options of {@link AudioStream}. */
export interface AudioStreamOptions {
  room: string
  /** Stream epoch, server ms. */
  epoch: number
  publisher: PublishPort
  format: AudioFormat
  /** Opus bitrate, bits/s (default {@link DEFAULT_OPUS_BITRATE}). */
  bitrate?: number
  /** Audio per message, ms (default 100: five 20 ms Opus packets). */
  chunkMs?: number
  /** Publish audio this far ahead of its start, s (default 0.6). */
  leadSeconds?: number
  /** Ring capacity in seconds of audio (default 4). */
  ringSeconds?: number
  clock?: Clock
  onChunk?: (report: AudioChunkReport) => void
  /** About once a second: the worker's rendering load (busy / wall time, 1 = a whole core). */
  onLoad?: (load: number) => void
  /** The render worker failed; it is replaced and audio resumes from the next scheduled section. */
  onError?: (err: unknown) => void
}

/** Locates the built render worker (next to this module in dist/, or in dist/ when running from src/). */
export function renderWorkerUrl(): URL {
  const beside = new URL('./render-worker.js', import.meta.url)
  if (existsSync(fileURLToPath(beside))) return beside
  return new URL('../../dist/render-worker.js', import.meta.url)
}

/**
 * Server-rendered audio for one stream: sections go to a worker thread that renders them with synth-core into a
 * shared ring-buffer; this side takes ~100 ms chunks off the ring, encodes them (Opus or PCM16) and publishes
 * `audio` messages ahead of their start. One render per stream, shared by every listener.
 */
export class AudioStream {
  readonly format: AudioFormat
  private worker!: Worker
  private ring!: RingBuffer<Float32Array>
  private readonly encoder: ChunkEncoder
  private readonly chunkFrames: number
  private readonly chunk: Float32Array
  private readonly lead: number
  private readonly clock: Clock
  private readonly opts: AudioStreamOptions
  /** Index of the next chunk on the stream's clock (chunk k starts at k × chunk length). */
  private seq = -1
  private timer: (() => void) | null = null
  private horizon = 0
  /** Counters since start. */
  readonly counters = { chunks: 0, lateChunks: 0, bytes: 0 }

  constructor(options: AudioStreamOptions) {
    this.opts = options
    this.format = options.format
    const { sampleRate, channels, codec } = options.format
    this.clock = options.clock ?? systemClock
    this.lead = options.leadSeconds ?? 0.6
    this.chunkFrames = Math.round((sampleRate * (options.chunkMs ?? 100)) / 1000)
    this.chunk = new Float32Array(this.chunkFrames * channels)
    this.encoder = codec === 'opus'
      ? createOpusEncoder({ sampleRate: sampleRate as 48000, channels, bitrate: options.bitrate ?? DEFAULT_OPUS_BITRATE })
      : createPcm16Encoder(channels)
    this.spawn()
  }

  /** Starts a render worker on a fresh ring; audio begins again at the next section scheduled. */
  private spawn(): void {
    const { sampleRate, channels } = this.format
    this.ring = RingBuffer.create(Math.ceil(sampleRate * (this.opts.ringSeconds ?? 4)) * channels, Float32Array)
    this.seq = -1
    const workerData: RenderWorkerData = { ring: this.ring.buffer as SharedArrayBuffer, sampleRate, channels, blockSize: 480, pollMs: 20 }
    const worker = new Worker(renderWorkerUrl(), { workerData })
    this.worker = worker
    worker.unref()
    worker.on('message', (m: RenderWorkerReport) => {
      if (m.type === 'report' && m.wallMs > 0) this.opts.onLoad?.(m.busyMs / m.wallMs)
    })
    worker.on('error', (err) => {
      // A render failure must not take the server down: report it and start over with a new worker.
      this.opts.onError?.(err)
      if (this.worker === worker && !this.stopped) this.spawn()
    })
  }

  private stopped = false

  /** Hands a just-published section to the renderer and moves the render horizon to its end. */
  schedule(section: Section): void {
    if (this.seq < 0) {
      // Audio starts at the first section this instance renders: 0 for a new stream, later after a takeover.
      const chunkSeconds = this.chunkFrames / this.format.sampleRate
      // Rounded down: the first chunk may begin a little before the section (silence), never after it.
      this.seq = Math.max(0, Math.floor(section.startTime / chunkSeconds + 1e-9))
      this.post({ type: 'sections', sections: [section], origin: this.seq * chunkSeconds })
    } else this.post({ type: 'sections', sections: [section], origin: 0 })
    this.horizon = Math.max(this.horizon, section.startTime + sectionDuration(section))
    this.post({ type: 'horizon', seconds: this.horizon })
  }

  /** Starts publishing audio chunks. */
  start(): void {
    if (this.timer) return
    const tick = () => {
      this.pump()
      this.timer = this.clock.setTimer(tick, 20)
    }
    tick()
  }

  /** Stops publishing and ends the worker. */
  async stop(): Promise<void> {
    this.stopped = true
    this.timer?.()
    this.timer = null
    await this.worker.terminate()
  }

  private post(msg: RenderWorkerMessage): void {
    this.worker.postMessage(msg)
  }

  private nowSeconds(): number {
    return (this.clock.now() - this.opts.epoch) / 1000
  }

  /** Publishes every chunk that is rendered and due (its start less than the lead away). */
  pump(): void {
    const { sampleRate, channels } = this.format
    const chunkSeconds = this.chunkFrames / sampleRate
    while (this.seq >= 0 && this.ring.availableRead >= this.chunk.length) {
      const startTime = this.seq * chunkSeconds
      const lead = startTime - this.nowSeconds()
      if (lead > this.lead) break
      this.ring.pop(this.chunk, this.chunk.length)
      const bytes = this.encoder.encode(this.chunk, this.chunkFrames)
      const message = audioChunkToMessage({ seq: this.seq, startTime, codec: this.encoder.codec, sampleRate, channels, frames: this.chunkFrames, bytes })
      void Promise.resolve(this.opts.publisher.publish(this.opts.room, 'audio', message)).catch(() => undefined)
      this.counters.chunks++
      this.counters.bytes += bytes.length
      if (lead < 0) this.counters.lateChunks++
      this.opts.onChunk?.({ seq: this.seq, bytes: bytes.length, leadSeconds: lead })
      this.seq++
    }
  }
}
