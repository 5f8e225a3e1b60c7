/**
 * The playout AudioWorklet processor (`auralis-playout`). This file is not part of the library entry: it is
 * bundled with its imports into a string (scripts/build-worklet.mjs → src/worklet-source.ts) that the
 * audio output loads with `audioWorklet.addModule`. All the logic lives in {@link PlayoutEngine}.
 *
 * processorOptions: `{ channels, streamRate, bufferMs, maxRateDeviation?, stats }` (stats: the shared
 * Int32Array block). Port messages: `{ type: 'ring', buffer, frame }` (play a new ring whose first element
 * is stream frame `frame`), `{ type: 'clock', offsetMs }`, `{ type: 'buffer', ms }`.
 */
import { RingBuffer } from '@auralis/ring-buffer'
import { PlayoutEngine } from '../playout-engine.js'

interface WorkletScope {
  readonly sampleRate: number
  readonly currentFrame: number
  readonly AudioWorkletProcessor: new () => { readonly port: MessagePort }
  registerProcessor(name: string, ctor: unknown): void
}

const scope = globalThis as unknown as WorkletScope

/** Messages the page posts to the processor. */
type PlayoutMessage =
  | { type: 'ring'; buffer: SharedArrayBuffer; frame: number }
  | { type: 'clock'; offsetMs: number }
  | { type: 'buffer'; ms: number }

/** The processor: one engine, fed by port messages, rendering every block. */
class PlayoutProcessor extends scope.AudioWorkletProcessor {
  private readonly engine: PlayoutEngine

  constructor(options: { processorOptions: { channels: number; streamRate: number; bufferMs: number; maxRateDeviation?: number; stats: Int32Array } }) {
    super()
    const o = options.processorOptions
    this.engine = new PlayoutEngine({ channels: o.channels, streamRate: o.streamRate, outputRate: scope.sampleRate, bufferMs: o.bufferMs, maxRateDeviation: o.maxRateDeviation }, o.stats)
    this.port.onmessage = (e: MessageEvent<PlayoutMessage>) => {
      const m = e.data
      try {
        if (m.type === 'ring') this.engine.attach(RingBuffer.from(m.buffer, Float32Array), m.frame)
        else if (m.type === 'clock') this.engine.setClock(m.offsetMs)
        else if (m.type === 'buffer') this.engine.setBufferMs(m.ms)
      } catch (err) {
        this.port.postMessage({ type: 'error', message: String((err as Error)?.message ?? err) })
      }
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    this.engine.render(outputs[0], scope.currentFrame)
    return true
  }
}

scope.registerProcessor('auralis-playout', PlayoutProcessor)
