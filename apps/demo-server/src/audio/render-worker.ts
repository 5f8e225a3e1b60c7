/**
 * Worker thread: renders a stream's sections with synth-core's stream renderer into a shared ring of
 * interleaved Float32 frames, never past the horizon the main thread allows (the end of what is composed).
 * Rendering here keeps the event loop of the server free.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createStreamRenderer, type StreamRenderer } from '@auralis/synth-core'
import { RingBuffer } from '@auralis/ring-buffer'
import type { Section } from '@auralis/protocol'
import type { RenderWorkerData, RenderWorkerMessage, RenderWorkerReport } from './render-protocol.js'

const data = workerData as RenderWorkerData
const ring = RingBuffer.from(data.ring, Float32Array)
// Created with the first sections: the audio starts at the first section this instance renders (0 for a new
// stream, later after a takeover), so chunk times stay on the stream's own clock.
let renderer: StreamRenderer | undefined
let originFrames = 0
const planar = Array.from({ length: data.channels }, () => new Float32Array(data.blockSize))
let horizonFrames = 0
/** Seconds kept between the render position and the end of what is composed (≫ the limiter's 2.5 ms look-ahead). */
const HORIZON_MARGIN_S = 0.05
let busyMs = 0
let renderedFrames = 0
let lastReport = Date.now()

function pump(): void {
  const t0 = performance.now()
  const block = data.blockSize
  while (renderer && originFrames + renderer.position + block <= horizonFrames && ring.availableWrite >= block * data.channels) {
    renderer.renderInto(planar, 0, block)
    ring.pushFrames(planar, block)
    renderedFrames += block
  }
  busyMs += performance.now() - t0
  const now = Date.now()
  if (now - lastReport >= 1000) {
    const report: RenderWorkerReport = { type: 'report', position: renderer?.position ?? 0, busyMs, wallMs: now - lastReport, renderedFrames }
    parentPort!.postMessage(report)
    busyMs = 0
    renderedFrames = 0
    lastReport = now
  }
}

parentPort!.on('message', (msg: RenderWorkerMessage) => {
  if (msg.type === 'sections') {
    if (!renderer) {
      originFrames = Math.round(msg.origin * data.sampleRate)
      renderer = createStreamRenderer({ sampleRate: data.sampleRate, channels: data.channels, blockSize: data.blockSize, origin: msg.origin })
    }
    renderer.schedule(msg.sections as Section[])
  }
  // The renderer processes voices ahead of its output by its look-ahead limiter's latency (a few ms): stop short
  // of the composed end by a margin well above it, so a note at the very start of the next section is never late.
  else if (msg.type === 'horizon') horizonFrames = Math.max(horizonFrames, Math.floor((msg.seconds - HORIZON_MARGIN_S) * data.sampleRate))
  pump()
})
setInterval(pump, data.pollMs).unref?.()
// Keep the worker alive while the main thread holds it (the interval above is unref'd for clean exits).
setInterval(() => {}, 1 << 30)
