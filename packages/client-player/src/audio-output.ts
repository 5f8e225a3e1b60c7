/**
 * The streamed-audio output (`output: 'audio'`): plays the server's own render. `audio` chunks are decoded
 * (Opus through WebCodecs, PCM16 directly) to planar Float32, written by stream frame into a ring buffer in a
 * SharedArrayBuffer, and played by an AudioWorklet that follows server time with an adaptive jitter buffer
 * (see jitter-buffer.ts and playout-engine.ts). Needs a cross-origin isolated page (COOP + COEP).
 */
import type { AudioChunk, AudioFormat } from '@auralis/protocol'
import { chunkStartFrame, decodePcm16, hasAudioDecoder, OpusChunkDecoder } from './audio-decoder.js'
import { PlayerError } from './errors.js'
import { DEFAULT_BUFFER_MS, DEFAULT_MAX_RATE_DEVIATION, resolveJitterOptions } from './jitter-buffer.js'
import type { Output, OutputStartContext, ScheduledNote } from './output.js'
import { createStatsBlock, PLAYOUT_STATE, readStat, STAT } from './playout-stats.js'
import { StreamWriter } from './stream-writer.js'
import { PLAYOUT_WORKLET_SOURCE } from './worklet-source.js'

/** Options of {@link createAudioOutput}. */
export interface AudioOutputOptions {
  /** Target jitter-buffer depth in ms (default {@link DEFAULT_BUFFER_MS}; 20…10 000). */
  readonly bufferMs?: number
  /** Bound of the playback-rate deviation (default ±0.5 %). */
  readonly maxRateDeviation?: number
  /** Output level, linear (default 1). */
  readonly gain?: number
}

/** Numbers about the streamed-audio output. */
export interface AudioOutputStats {
  /** `idle` (no audio yet), `buffering` or `playing`. */
  readonly state: 'idle' | 'buffering' | 'playing'
  /** Target depth (ms). */
  readonly bufferMs: number
  /** Audio held ahead of the playhead (ms). */
  readonly bufferedMs: number
  /** How far playback runs behind server time (ms); 0 on a good network. */
  readonly delayMs: number
  /** The delay the jitter buffer aims for (ms). */
  readonly wantedDelayMs: number
  /** Current playback rate (1 ± `maxRateDeviation`). */
  readonly playbackRate: number
  /** Largest |rate − 1| seen. */
  readonly maxRateDeviation: number
  /** Underrun episodes (silence played because the buffer ran dry). */
  readonly underruns: number
  /** Silence played because of underruns (ms). */
  readonly underrunMs: number
  /** Overruns: the ring was full and its oldest audio was dropped. */
  readonly overruns: number
  /** Excess delay dropped at once (with a fade). */
  readonly skips: number
  /** Audio dropped by skips and by starting on server time (ms). */
  readonly skippedMs: number
  /** Chunks that failed to decode. */
  readonly decodeErrors: number
  /** `audio` chunks received. */
  readonly chunks: number
  /** Payload bytes received (before base64: what the codec produced). */
  readonly payloadBytes: number
  /** Audio received twice (replays after a resume) and dropped (ms). */
  readonly duplicateMs: number
  /** Gaps in the stream filled with silence. */
  readonly gaps: number
  /** Context time (s) of the first block that played received audio (possibly silent pre-roll), if any. */
  readonly firstAudioContextTime: number | undefined
  /** Stream format, once known. */
  readonly format: AudioFormat | undefined
}

/** The player-facing side of an output that plays server-rendered audio. */
export interface StreamAudioOutput extends Output {
  /** Takes the stream's format and epoch (from `hello`); a change of either starts over. */
  configure(format: AudioFormat, epoch: number): void
  /** Takes one `audio` chunk. Bad chunks are reported through the error handler, never thrown. */
  receiveAudio(chunk: AudioChunk): void
  /** Sets the clock mapping: stream time (ms since the epoch) heard at context time `t` is `t · 1000 + offsetMs`. */
  setClock(offsetMs: number): void
  /** Where recoverable errors go (the player forwards them to its `error` event). */
  setErrorHandler(fn: (e: PlayerError) => void): void
  /** Whether received audio has started playing. */
  readonly playing: boolean
  /** Numbers about the output. */
  audioStats(): AudioOutputStats
}

/** Whether an output plays server-rendered audio (see {@link StreamAudioOutput}). */
export function isStreamAudioOutput(o: Output): o is StreamAudioOutput {
  return typeof (o as Partial<StreamAudioOutput>).receiveAudio === 'function' && typeof (o as Partial<StreamAudioOutput>).configure === 'function'
}

const STATE_NAMES = ['idle', 'buffering', 'playing'] as const

/** The streamed-audio output (see the module comment and {@link StreamAudioOutput}). */
export class AudioOutput implements StreamAudioOutput {
  /** Output name. */
  readonly name = 'audio'
  /** No processing delay of its own: the worklet plays each frame at its server time. */
  readonly latency = 0
  private ctx: AudioContext | undefined
  private out: GainNode | undefined
  private node: AudioWorkletNode | undefined
  private writer: StreamWriter | undefined
  private opus: OpusChunkDecoder | undefined
  private format: AudioFormat | undefined
  private epoch: number | undefined
  private stats = createStatsBlock()
  private bufferMs: number
  private lastClock = NaN
  private onError: (e: PlayerError) => void = () => undefined
  private counts = { chunks: 0, bytes: 0, decodeErrors: 0 }

  /** @throws PlayerError `invalid-option` for a bad `bufferMs` or `maxRateDeviation`. */
  constructor(private readonly options: AudioOutputOptions = {}) {
    this.bufferMs = options.bufferMs ?? DEFAULT_BUFFER_MS
    this.check(this.bufferMs)
  }

  private check(bufferMs: number): void {
    try {
      resolveJitterOptions({ bufferMs, maxRateDeviation: this.options.maxRateDeviation })
    } catch (e) {
      throw new PlayerError('invalid-option', (e as Error).message)
    }
  }

  /**
   * Checks cross-origin isolation (SharedArrayBuffer) and AudioWorklet, loads the playout worklet and builds
   * the output gain. Rejects with PlayerError `audio-unavailable` when the page cannot play streamed audio.
   */
  async start({ audioContext }: OutputStartContext): Promise<void> {
    if (this.out) return
    const g = globalThis as { crossOriginIsolated?: boolean }
    if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated === false) {
      throw new PlayerError('audio-unavailable', 'output "audio" needs SharedArrayBuffer: serve the page cross-origin isolated (Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)')
    }
    if (!audioContext.audioWorklet) throw new PlayerError('audio-unavailable', 'output "audio" needs AudioWorklet (a secure context: https or localhost)')
    const url = URL.createObjectURL(new Blob([PLAYOUT_WORKLET_SOURCE], { type: 'text/javascript' }))
    try {
      await audioContext.audioWorklet.addModule(url)
    } catch (e) {
      throw new PlayerError('audio-unavailable', `cannot load the playout AudioWorklet: ${(e as Error)?.message ?? String(e)}`, { cause: e })
    } finally {
      URL.revokeObjectURL(url)
    }
    this.ctx = audioContext
    const out = audioContext.createGain()
    out.gain.value = this.options.gain ?? 1
    out.connect(audioContext.destination)
    this.out = out
    if (this.format && this.epoch !== undefined) this.build(this.format)
  }

  /** Sets where recoverable errors go. */
  setErrorHandler(fn: (e: PlayerError) => void): void {
    this.onError = fn
  }

  /** Takes the stream's format and epoch (from `hello`). The same ones again (a reconnection) keep playing. */
  configure(format: AudioFormat, epoch: number): void {
    const same = this.format && this.format.codec === format.codec && this.format.sampleRate === format.sampleRate && this.format.channels === format.channels
    if (same && this.epoch === epoch) return
    this.format = format
    this.epoch = epoch
    if (format.codec === 'opus' && !hasAudioDecoder()) {
      this.onError(new PlayerError('audio-unavailable', 'this browser has no WebCodecs AudioDecoder, needed to play Opus audio streams'))
    }
    if (this.out) this.build(format)
  }

  /** Builds the worklet node, the ring writer and the decoder for a format. */
  private build(format: AudioFormat): void {
    this.teardown()
    const ctx = this.ctx!
    this.stats = createStatsBlock()
    const node = new AudioWorkletNode(ctx, 'auralis-playout', {
      numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [2],
      processorOptions: { channels: format.channels, streamRate: format.sampleRate, bufferMs: this.bufferMs, maxRateDeviation: this.options.maxRateDeviation ?? DEFAULT_MAX_RATE_DEVIATION, stats: this.stats },
    })
    node.port.onmessage = (e: MessageEvent<{ type: string; message: string }>) => {
      if (e.data?.type === 'error') this.onError(new PlayerError('output', `playout worklet: ${e.data.message}`))
    }
    node.connect(this.out!)
    this.node = node
    this.lastClock = NaN
    this.writer = new StreamWriter({
      channels: format.channels, sampleRate: format.sampleRate,
      capacityFrames: Math.max(4 * format.sampleRate, Math.round(((2 * this.bufferMs) / 1000 + 2) * format.sampleRate)),
      onRing: (ring, frame) => node.port.postMessage({ type: 'ring', buffer: ring.buffer, frame }),
    })
    this.opus = format.codec === 'opus' && hasAudioDecoder()
      ? new OpusChunkDecoder({
        sampleRate: format.sampleRate, channels: format.channels,
        sink: (frame, planar, n) => this.writer?.write(frame, planar, n),
        onError: (e) => {
          this.counts.decodeErrors++
          this.onError(e)
        },
      })
      : undefined
  }

  private teardown(): void {
    this.opus?.reset()
    this.opus = undefined
    this.writer = undefined
    if (this.node) {
      this.node.port.onmessage = null
      this.node.disconnect()
      this.node = undefined
    }
  }

  /** Takes one `audio` chunk: decodes it and writes it into the ring at its stream frame. */
  receiveAudio(chunk: AudioChunk): void {
    const f = this.format
    this.counts.chunks++
    this.counts.bytes += chunk.bytes.length
    if (!f || !this.writer) return
    if (chunk.codec !== f.codec || chunk.sampleRate !== f.sampleRate || chunk.channels !== f.channels) {
      this.counts.decodeErrors++
      this.onError(new PlayerError('protocol', `audio chunk ${chunk.seq} is ${chunk.codec} ${chunk.sampleRate} Hz × ${chunk.channels}; the stream announced ${f.codec} ${f.sampleRate} Hz × ${f.channels}`))
      return
    }
    if (chunk.codec === 'pcm16') {
      try {
        const planar = decodePcm16(chunk.bytes, chunk.channels, chunk.frames)
        this.writer.write(chunkStartFrame(chunk), planar, chunk.frames)
      } catch (e) {
        this.counts.decodeErrors++
        this.onError(e instanceof PlayerError ? e : new PlayerError('output', String(e), { cause: e }))
      }
      return
    }
    this.opus?.decode(chunk)
  }

  /** Sends the clock mapping to the worklet (when it moved by more than 10 µs). */
  setClock(offsetMs: number): void {
    if (!this.node || !Number.isFinite(offsetMs) || Math.abs(offsetMs - this.lastClock) < 0.01) return
    this.lastClock = offsetMs
    this.node.port.postMessage({ type: 'clock', offsetMs })
  }

  /**
   * Changes the target buffer depth while playing (the web app's buffer-length control).
   * @throws PlayerError `invalid-option` when out of 20…10 000 ms.
   */
  setBufferMs(ms: number): void {
    this.check(ms)
    this.bufferMs = ms
    this.node?.port.postMessage({ type: 'buffer', ms })
  }

  /** Whether received audio has started playing. */
  get playing(): boolean {
    return readStat(this.stats, STAT.firstAudioContextFrame) >= 0
  }

  /** Notes are not played: the audio already carries them. */
  play(_note: ScheduledNote): void {}

  /** Connects the output (after the gain) to another node as well (meters, an AudioWorklet tap). */
  connectTap(node: AudioNode): void {
    if (!this.out) throw new PlayerError('output', 'the audio output is not started')
    this.out.connect(node)
  }

  /** Stops at once: drops the buffered audio (the worklet fades out) and starts over with the next chunk. */
  silence(): void {
    this.opus?.reset()
    this.writer?.reset()
    if (this.format && this.out) this.build(this.format)
  }

  /** Disconnects everything. */
  dispose(): void {
    this.teardown()
    this.out?.disconnect()
    this.out = undefined
  }

  /** Numbers about the output (see {@link AudioOutputStats}). */
  audioStats(): AudioOutputStats {
    const s = this.stats
    const sr = this.format?.sampleRate ?? 48_000
    const ms = (frames: number) => (frames / sr) * 1000
    const w = this.writer?.stats
    const first = readStat(s, STAT.firstAudioContextFrame)
    return {
      state: STATE_NAMES[readStat(s, STAT.state)] ?? 'idle',
      bufferMs: this.bufferMs,
      bufferedMs: readStat(s, STAT.state) === PLAYOUT_STATE.idle ? 0 : ms(readStat(s, STAT.depthFrames)),
      delayMs: ms(readStat(s, STAT.delayFrames)),
      wantedDelayMs: ms(readStat(s, STAT.wantedDelayFrames)),
      playbackRate: 1 + readStat(s, STAT.rateDeviationPpb) / 1e9,
      maxRateDeviation: readStat(s, STAT.maxRateDeviationPpb) / 1e9,
      underruns: readStat(s, STAT.underruns),
      underrunMs: ((readStat(s, STAT.underrunFrames)) / (this.ctx?.sampleRate ?? sr)) * 1000,
      overruns: w?.overruns ?? 0,
      skips: readStat(s, STAT.skips),
      skippedMs: ms(readStat(s, STAT.skippedFrames)),
      decodeErrors: this.counts.decodeErrors,
      chunks: this.counts.chunks,
      payloadBytes: this.counts.bytes,
      duplicateMs: ms(w?.duplicateFrames ?? 0),
      gaps: w?.gaps ?? 0,
      firstAudioContextTime: first >= 0 && this.ctx ? first / this.ctx.sampleRate : undefined,
      format: this.format,
    }
  }
}

/**
 * Creates the streamed-audio output.
 * @throws PlayerError `invalid-option` for bad options.
 */
export function createAudioOutput(options: AudioOutputOptions = {}): AudioOutput {
  return new AudioOutput(options)
}
