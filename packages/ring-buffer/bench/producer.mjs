// Producer thread of the throughput bench: pushes `total` elements as fast as the ring takes them.
import { parentPort, workerData } from 'node:worker_threads'
import { impls } from './impls.mjs'

const { impl, mode, buffer, control, chunk, total } = workerData
const push = impls[impl].producer(buffer, mode, chunk)
const ctl = new Int32Array(control)
Atomics.store(ctl, 0, 1) // ready
while (Atomics.load(ctl, 1) === 0) {} // wait for the start signal
let sent = 0
let idle = 0
while (sent < total) {
  const k = push(total - sent)
  sent += k
  // Same back-off for both rings: after a burst of empty tries, sleep ~20 µs so that on a busy machine the
  // other side gets the core instead of watching us spin.
  if (k === 0 && ++idle > 64) {
    Atomics.wait(ctl, 2, 0, 0.02)
    idle = 0
  } else if (k !== 0) idle = 0
}
parentPort.postMessage('done')
