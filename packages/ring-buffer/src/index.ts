/**
 * @packageDocumentation
 * Lock-free single-producer/single-consumer ring buffer over SharedArrayBuffer for AudioWorklet, workers and Node.
 */
export {}
