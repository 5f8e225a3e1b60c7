import type { Section } from '@auralis/protocol'

/** What the render worker starts with. */
export interface RenderWorkerData {
  /** SharedArrayBuffer of a Float32 ring (`@auralis/ring-buffer`) of interleaved frames. */
  ring: SharedArrayBuffer
  sampleRate: number
  channels: number
  /** Frames rendered per step. */
  blockSize: number
  /** How often the worker looks for room in the ring, ms. */
  pollMs: number
}

/** Main thread → worker. */
export type RenderWorkerMessage =
  /** Sections to render; the first message's `origin` (seconds since the epoch) is where the audio starts. */
  | { type: 'sections'; sections: Section[]; origin: number }
  /** Render up to this stream time (seconds since the epoch): the end of what has been composed. */
  | { type: 'horizon'; seconds: number }

/** Worker → main thread, about once a second. */
export interface RenderWorkerReport {
  type: 'report'
  /** Frames rendered since the stream began. */
  position: number
  /** Time spent rendering in the last `wallMs`. */
  busyMs: number
  wallMs: number
  renderedFrames: number
}
