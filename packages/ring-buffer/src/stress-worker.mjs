// Test fixture for stress.test.ts: one side (producer or consumer) of a seeded random stress run, in a
// worker_threads worker. Plain JS importing the BUILT package (turbo builds before testing), so it also checks
// that dist/ attaches to a buffer made elsewhere with RingBuffer.from.
import { parentPort, workerData } from 'node:worker_threads'
import { RingBuffer } from '../dist/index.js'

const { role, buffer, control, typeName, seed, total, maxChunk, channels, deadline } = workerData
const abort = new Int32Array(control) // [0]: set to 1 by the side that fails, so the other stops at once

/** After a run of tries that moved nothing, sleep ~50 µs so a busy 2-core machine can run the other side. */
let idle = 0
function backOff(moved) {
  if (moved > 0) idle = 0
  else if (++idle > 32) {
    Atomics.wait(abort, 1, 0, 0.05)
    idle = 0
  }
}
const Type = globalThis[typeName]
const big = typeName.startsWith('Big')
const rb = RingBuffer.from(buffer, Type)

/** mulberry32: the seeded PRNG for chunk sizes and offsets. */
function prng(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The known sequence: element i of the stream, exactly representable in the ring's type. */
function mix(i) {
  let x = Math.imul(i ^ (i >>> 15), 0x2c1b3c6d)
  x = Math.imul(x ^ (x >>> 12), 0x297a2d39)
  return (x ^ (x >>> 15)) >>> 0
}
const valueAt = {
  Float32Array: (i) => (mix(i) >>> 9) + 0.5, // < 2^23 with a half: exact in float32; never the canary
  Float64Array: (i) => mix(i) * 1.25 + i,
  Int16Array: (i) => (mix(i) & 0xffff) - 32768,
  Uint8Array: (i) => mix(i) & 0xff,
  Int32Array: (i) => mix(i) | 0,
  BigInt64Array: (i) => (BigInt(mix(i)) << 24n) - BigInt(i),
}[typeName]
const CANARY = { Float32Array: -0.25, Float64Array: -0.25, Int16Array: 12345, Uint8Array: 0xa5, Int32Array: 0x5ca1ab1e, BigInt64Array: -7n }[typeName]

/** Chunk sizes: mostly small, some medium, some up to maxChunk (48,000 in the tests). */
function chunkSize(rand) {
  const u = rand()
  const limit = u < 0.5 ? 512 : u < 0.8 ? 4800 : maxChunk
  return 1 + Math.floor(rand() * limit)
}

const GUARD = 16
const PAD = 64

function producer() {
  const rand = prng(seed)
  const src = new Type(maxChunk + PAD + GUARD)
  const planar = channels ? Array.from({ length: channels }, () => new Type(Math.ceil(maxChunk / channels) + PAD + GUARD)) : null
  let next = 0 // next sequence index to push
  let overrun = 0 // elements that did not fit, counted here
  let pushes = 0
  while (next < total) {
    if (Date.now() > deadline) return { error: `producer timed out at ${next}/${total}` }
    if (Atomics.load(abort, 0)) return { error: 'producer stopped: the consumer failed' }
    if (planar) {
      // Whole frames of `channels` interleaved elements: element next + f*channels + c lives in planar[c][off + f].
      const n = Math.min(Math.ceil(chunkSize(rand) / channels), (total - next) / channels)
      const off = Math.floor(rand() * PAD)
      for (const ch of planar) ch.fill(CANARY)
      for (let f = 0; f < n; f++) for (let c = 0; c < channels; c++) planar[c][off + f] = valueAt(next + f * channels + c)
      let k = 0
      for (;;) {
        const got = rb.pushFrames(planar, n - k, off + k)
        overrun += (n - k - got) * channels
        k += got
        backOff(got)
        if (k === n) break
        if (Date.now() > deadline) return { error: `producer timed out at ${next}/${total}` }
        if (Atomics.load(abort, 0)) return { error: 'producer stopped: the consumer failed' }
      }
      next += n * channels
    } else {
      const n = Math.min(chunkSize(rand), total - next)
      const off = Math.floor(rand() * PAD)
      src.fill(CANARY)
      for (let j = 0; j < n; j++) src[off + j] = valueAt(next + j)
      let k = 0
      for (;;) {
        const got = rb.push(src, n - k, off + k)
        overrun += n - k - got
        k += got
        backOff(got)
        if (k === n) break
        if (Date.now() > deadline) return { error: `producer timed out at ${next + k}/${total}` }
        if (Atomics.load(abort, 0)) return { error: 'producer stopped: the consumer failed' }
      }
      next += n
    }
    pushes++
  }
  return { pushed: next, overrun, pushes }
}

function consumer() {
  const rand = prng(seed ^ 0x9e3779b9)
  const dst = new Type(maxChunk + PAD + GUARD)
  const peekBuf = new Type(maxChunk + PAD + GUARD)
  const planar = channels ? Array.from({ length: channels }, () => new Type(Math.ceil(maxChunk / channels) + PAD + GUARD)) : null
  let next = 0
  let underrun = 0
  let pops = 0
  let peeks = 0
  const fail = (what) => {
    Atomics.store(abort, 0, 1)
    return { error: `${what} (after ${next} verified elements)` }
  }
  while (next < total) {
    if (Date.now() > deadline) return fail('consumer timed out')
    if (Atomics.load(abort, 0)) return { error: 'consumer stopped: the producer failed' }
    const useFrames = planar && rand() < 0.5
    if (useFrames) {
      const n = Math.ceil(chunkSize(rand) / channels)
      const off = Math.floor(rand() * PAD)
      for (const ch of planar) ch.fill(CANARY)
      const k = rb.popFrames(planar, n, off)
      underrun += (n - k) * channels
      backOff(k)
      for (let c = 0; c < channels; c++) {
        const ch = planar[c]
        for (let f = 0; f < off; f++) if (ch[f] !== CANARY) return fail(`popFrames wrote before offset in channel ${c}`)
        for (let f = 0; f < k; f++) {
          if (ch[off + f] !== valueAt(next + f * channels + c)) {
            return fail(`popFrames channel ${c} frame ${f}: got ${ch[off + f]}, want ${valueAt(next + f * channels + c)}`)
          }
        }
        for (let f = off + k; f < ch.length; f++) if (ch[f] !== CANARY) return fail(`popFrames wrote past the frames it returned in channel ${c}`)
      }
      next += k * channels
    } else {
      let n = Math.min(chunkSize(rand), total - next)
      if (channels) n = Math.max(channels, n - (n % channels)) // keep frame alignment for popFrames
      const off = Math.floor(rand() * PAD)
      const lo = off
      const hi = Math.min(dst.length, off + n + GUARD)
      dst.fill(CANARY, 0, hi)
      let peeked = -1
      if (rand() < 0.1) {
        peeked = rb.peek(peekBuf, n, 0)
        peeks++
      }
      const k = rb.pop(dst, n, off)
      underrun += n - k
      backOff(k)
      if (peeked > k) return fail(`peek saw ${peeked} elements but pop then got only ${k}`)
      for (let j = 0; j < lo; j++) if (dst[j] !== CANARY) return fail(`pop wrote before offset ${off} at ${j}`)
      for (let j = 0; j < k; j++) {
        const v = dst[off + j]
        if (v !== valueAt(next + j)) return fail(`element ${next + j}: got ${v}, want ${valueAt(next + j)}`)
        if (j < peeked && peekBuf[j] !== v) return fail(`peek and pop disagree at element ${next + j}`)
      }
      for (let j = off + k; j < hi; j++) if (dst[j] !== CANARY) return fail(`pop wrote past the ${k} elements it returned (index ${j})`)
      next += k
    }
    pops++
  }
  return { popped: next, underrun, pops, peeks }
}

parentPort.postMessage(role === 'producer' ? producer() : consumer())
