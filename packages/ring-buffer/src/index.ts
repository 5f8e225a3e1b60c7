/**
 * @packageDocumentation
 * `@auralis/ring-buffer` — a lock-free, wait-free single-producer/single-consumer ring of typed-array elements over
 * a SharedArrayBuffer, for AudioWorklet, Web Workers and Node `worker_threads`; with allocation-free helpers for
 * interleaved ↔ planar audio frames. Generic: it knows nothing about music.
 */
export { RingBuffer } from './ring-buffer.js'
export { interleave, deinterleave } from './audio.js'
export { HEADER_BYTES, MAX_CAPACITY } from './layout.js'
export type { TypedArray, TypedArrayConstructor, ElementOf, WritableArrayLike } from './types.js'
