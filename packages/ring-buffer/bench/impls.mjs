// The two rings under test behind one adapter, so the producer and consumer loops are the same for both.
// Modes: 'interleaved' — push/pop chunks of an interleaved Float32 stereo stream (partial amounts resumed with
// offsets); 'planar' — the AudioWorklet path: 128-frame planar blocks in and out (ours: pushFrames/popFrames;
// ringbuf.js: its own interleave() + push, pop + deinterleave(), as its AudioWriter/AudioReader do).
import { RingBuffer as Ours } from '../dist/index.js'
import { RingBuffer as TheirRing, deinterleave as theirDeinterleave, interleave as theirInterleave } from 'ringbuf.js'

const CHANNELS = 2

function planarBlock(frames, fill) {
  return Array.from({ length: CHANNELS }, (_, c) => Float32Array.from({ length: frames }, (_, i) => (fill ? Math.sin(i * 0.01 + c) : 0)))
}

export const impls = {
  ours: {
    label: '@auralis/ring-buffer',
    create: (capacity) => Ours.create(capacity, Float32Array).buffer,
    producer(buffer, mode, chunk) {
      const rb = Ours.from(buffer, Float32Array)
      if (mode === 'planar') {
        const frames = chunk / CHANNELS
        const planar = planarBlock(frames, true)
        let p = 0
        return () => {
          const k = rb.pushFrames(planar, frames - p, p)
          p += k
          if (p === frames) p = 0
          return k * CHANNELS
        }
      }
      const src = planarBlock(chunk, true)[0]
      let p = 0
      return (max) => {
        const k = rb.push(src, Math.min(chunk - p, max), p)
        p += k
        if (p === chunk) p = 0
        return k
      }
    },
    consumer(buffer, mode, chunk) {
      const rb = Ours.from(buffer, Float32Array)
      if (mode === 'planar') {
        const frames = chunk / CHANNELS
        const planar = planarBlock(frames, false)
        let p = 0
        return () => {
          const k = rb.popFrames(planar, frames - p, p)
          p += k
          if (p === frames) p = 0
          return k * CHANNELS
        }
      }
      const dst = new Float32Array(chunk)
      let p = 0
      return (max) => {
        const k = rb.pop(dst, Math.min(chunk - p, max), p)
        p += k
        if (p === chunk) p = 0
        return k
      }
    },
  },
  'ringbuf.js': {
    label: 'ringbuf.js 0.4.0',
    create: (capacity) => TheirRing.getStorageForCapacity(capacity, Float32Array),
    producer(buffer, mode, chunk) {
      const rb = new TheirRing(buffer, Float32Array)
      const src = new Float32Array(chunk)
      const planar = planarBlock(chunk / CHANNELS, true)
      if (mode === 'planar') theirInterleave(planar, src)
      else src.set(planarBlock(chunk, true)[0])
      let p = 0
      return (max) => {
        if (p === 0 && mode === 'planar') theirInterleave(planar, src) // a new block to send
        const k = rb.push(src, Math.min(chunk - p, max), p)
        p += k
        if (p === chunk) p = 0
        return k
      }
    },
    consumer(buffer, mode, chunk) {
      const rb = new TheirRing(buffer, Float32Array)
      const dst = new Float32Array(chunk)
      const planar = planarBlock(chunk / CHANNELS, false)
      let p = 0
      return (max) => {
        const k = rb.pop(dst, Math.min(chunk - p, max), p)
        p += k
        if (p === chunk) {
          p = 0
          if (mode === 'planar') theirDeinterleave(dst, planar) // a whole block arrived
        }
        return k
      }
    },
  },
}
