// Producer thread of the throughput bench: pushes `total` elements in chunks of `chunk`, as fast as the ring takes them.
import { parentPort, workerData } from 'node:worker_threads'
import { impls } from './impls.mjs'

const { impl, buffer, control, chunk, total } = workerData
const rb = impls[impl].attach(buffer)
const ctl = new Int32Array(control)
const src = new Float32Array(chunk)
for (let i = 0; i < chunk; i++) src[i] = Math.sin(i * 0.01)
Atomics.add(ctl, 0, 1) // ready
while (Atomics.load(ctl, 1) === 0) {} // wait for start
let sent = 0
let p = 0
while (sent < total) {
  const want = Math.min(chunk - p, total - sent)
  const k = rb.push(src, want, p)
  sent += k
  p += k
  if (p === chunk) p = 0
}
parentPort.postMessage('done')
