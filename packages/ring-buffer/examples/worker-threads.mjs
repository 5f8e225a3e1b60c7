// A producer in a worker_threads worker renders a 440 Hz stereo tone in 4,096-frame chunks; the main thread plays
// the consumer's part, taking 128-frame blocks as an AudioWorklet would. Run: node examples/worker-threads.mjs
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { RingBuffer } from '@auralis/ring-buffer'

const SAMPLE_RATE = 48_000
const SECONDS = 2
const CHUNK = 4096

if (isMainThread) {
  const rb = RingBuffer.create(SAMPLE_RATE * 2 /* 1 s of stereo */, Float32Array)
  const worker = new Worker(new URL(import.meta.url), { workerData: rb.buffer })
  const block = [new Float32Array(128), new Float32Array(128)] // allocated once, reused
  let frames = 0
  let peak = 0
  while (frames < SAMPLE_RATE * SECONDS) {
    if (rb.availableRead < 2 * 128) {
      await new Promise((r) => setTimeout(r, 1)) // not enough yet: come back later
      continue
    }
    const got = rb.popFrames(block) // 128 frames, de-interleaved into block[0] and block[1]
    for (let i = 0; i < got; i++) peak = Math.max(peak, Math.abs(block[0][i]))
    frames += got
  }
  await worker.terminate()
  console.log(`played ${frames} frames, peak ${peak.toFixed(3)}, underruns ${rb.underruns}, overruns ${rb.overruns}`)
} else {
  const rb = RingBuffer.from(workerData, Float32Array) // attach to the same memory
  const chunk = [new Float32Array(CHUNK), new Float32Array(CHUNK)]
  const nap = new Int32Array(new SharedArrayBuffer(4))
  for (let t = 0; t < SAMPLE_RATE * SECONDS; t += CHUNK) {
    for (let i = 0; i < CHUNK; i++) chunk[0][i] = chunk[1][i] = 0.5 * Math.sin((2 * Math.PI * 440 * (t + i)) / SAMPLE_RATE)
    while (rb.availableWrite < 2 * CHUNK) Atomics.wait(nap, 0, 0, 5) // ring full: sleep 5 ms (fine in a worker)
    rb.pushFrames(chunk) // 4,096 frames, interleaved into the ring
  }
  parentPort.postMessage('done')
}
