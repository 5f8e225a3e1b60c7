import { describe, expect, it } from 'vitest'
import { H_READ, H_WRITE, HEADER_BYTES, modulusFor } from './layout.js'
import { MAX_CAPACITY, RingBuffer, type TypedArrayConstructor } from './index.js'

const seq = (n: number, from = 1) => Float32Array.from({ length: n }, (_, i) => from + i)

/** Empties the ring (without counting underruns) and returns what it held. */
function drain(rb: RingBuffer<Float32Array>): number[] {
  const out = new Float32Array(rb.availableRead)
  rb.pop(out, out.length)
  return [...out]
}

describe('RingBuffer.create / from / bytesFor', () => {
  it('sizes the buffer as header + capacity × element size, all slots usable', () => {
    const rb = RingBuffer.create(10, Float64Array)
    expect(RingBuffer.bytesFor(10, Float64Array)).toBe(HEADER_BYTES + 80)
    expect(rb.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(rb.buffer.byteLength).toBe(HEADER_BYTES + 80)
    expect(rb.capacity).toBe(10)
    expect(rb.type).toBe(Float64Array)
    expect(rb.push(new Float64Array(10))).toBe(10)
    expect(rb.isFull).toBe(true)
  })

  it('rejects bad capacities with a RangeError', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, MAX_CAPACITY + 1]) {
      expect(() => RingBuffer.create(bad, Float32Array)).toThrow(RangeError)
      expect(() => RingBuffer.bytesFor(bad, Float32Array)).toThrow(RangeError)
    }
    expect(RingBuffer.bytesFor(MAX_CAPACITY, Uint8Array)).toBe(HEADER_BYTES + MAX_CAPACITY)
  })

  it('rejects a non-typed-array element type with a TypeError', () => {
    expect(() => RingBuffer.create(4, Array as never)).toThrow(TypeError)
    expect(() => RingBuffer.create(4, DataView as never)).toThrow(TypeError)
    expect(() => RingBuffer.create(4, {} as never)).toThrow(TypeError)
  })

  it('attaches to the same memory with from(), and shares indices and counters', () => {
    const a = RingBuffer.create(8, Int16Array)
    const b = RingBuffer.from(a.buffer, Int16Array)
    expect(b.capacity).toBe(8)
    expect(a.push(Int16Array.of(1, -2, 3))).toBe(3)
    expect(b.availableRead).toBe(3)
    const out = new Int16Array(5)
    expect(b.pop(out)).toBe(3)
    expect([...out]).toEqual([1, -2, 3, 0, 0])
    expect(a.underruns).toBe(2)
    expect(a.isEmpty).toBe(true)
  })

  it('refuses the wrong element type, a foreign buffer or a non-shared one with a TypeError', () => {
    const rb = RingBuffer.create(8, Float32Array)
    expect(() => RingBuffer.from(rb.buffer, Int32Array)).toThrow(/holds Float32Array elements, not Int32Array/)
    expect(() => RingBuffer.from(new SharedArrayBuffer(1024), Float32Array)).toThrow(/bad magic/)
    expect(() => RingBuffer.from(new SharedArrayBuffer(16), Float32Array)).toThrow(TypeError)
    expect(() => RingBuffer.from(new ArrayBuffer(1024) as never, Float32Array)).toThrow(TypeError)
    const truncated = new SharedArrayBuffer(HEADER_BYTES + 4)
    new Uint8Array(truncated).set(new Uint8Array(rb.buffer, 0, HEADER_BYTES))
    expect(() => RingBuffer.from(truncated, Float32Array)).toThrow(/corrupt/)
  })

  it('accepts a subclass of the element type', () => {
    class Samples extends Float32Array {}
    const rb = RingBuffer.create(4, Samples)
    expect(RingBuffer.from(rb.buffer, Float32Array).capacity).toBe(4)
    expect(RingBuffer.from(rb.buffer, Samples).push([1, 2])).toBe(2)
  })
})

describe('push / pop boundaries', () => {
  it('capacity 1: one element in, one out, across many wraps', () => {
    const rb = RingBuffer.create(1, Float32Array)
    const one = new Float32Array(1)
    for (let i = 0; i < 1000; i++) {
      expect(rb.isEmpty).toBe(true)
      expect(rb.push(Float32Array.of(i))).toBe(1)
      expect(rb.isFull).toBe(true)
      expect(rb.push(Float32Array.of(-1))).toBe(0)
      expect(rb.pop(one)).toBe(1)
      expect(one[0]).toBe(i)
    }
    expect(rb.overruns).toBe(1000)
    expect(rb.underruns).toBe(0)
  })

  it('exactly full: all capacity slots fill, further pushes move 0 and count overruns', () => {
    const rb = RingBuffer.create(16, Float32Array)
    expect(rb.push(seq(16))).toBe(16)
    expect(rb.isFull).toBe(true)
    expect(rb.availableWrite).toBe(0)
    expect(rb.availableRead).toBe(16)
    expect(rb.push(seq(5))).toBe(0)
    expect(rb.push(seq(1))).toBe(0)
    expect(rb.overruns).toBe(6)
    expect(drain(rb)).toEqual([...seq(16)])
  })

  it('exactly empty: pop moves 0, leaves dst untouched and counts the elements asked for', () => {
    const rb = RingBuffer.create(16, Float32Array)
    const dst = new Float32Array(8).fill(7)
    expect(rb.pop(dst)).toBe(0)
    expect([...dst]).toEqual(Array(8).fill(7))
    expect(rb.underruns).toBe(8)
    rb.push(seq(3))
    expect(rb.pop(dst, 3)).toBe(3)
    expect(rb.isEmpty).toBe(true)
    expect(rb.pop(dst, 5, 1)).toBe(0)
    expect(rb.underruns).toBe(13)
    expect(rb.pop(dst, 0)).toBe(0)
    expect(rb.underruns).toBe(13)
  })

  it('wraps at the end of storage, keeping order', () => {
    const rb = RingBuffer.create(8, Float32Array)
    rb.push(seq(6))
    expect(drain(rb)).toEqual([1, 2, 3, 4, 5, 6])
    expect(rb.push(seq(7, 10))).toBe(7) // slots 6, 7, then 0…4
    const peeked = new Float32Array(7)
    expect(rb.peek(peeked)).toBe(7)
    expect([...peeked]).toEqual([10, 11, 12, 13, 14, 15, 16])
    const out = new Float32Array(3)
    expect(rb.pop(out)).toBe(3)
    expect([...out]).toEqual([10, 11, 12])
    expect(rb.push(seq(4, 20))).toBe(4)
    expect(drain(rb)).toEqual([13, 14, 15, 16, 20, 21, 22, 23])
  })

  it('pushes part of a chunk when nearly full and counts the rest as overrun', () => {
    const rb = RingBuffer.create(10, Float32Array)
    expect(rb.push(seq(8))).toBe(8)
    expect(rb.push(seq(5, 100))).toBe(2)
    expect(rb.overruns).toBe(3)
    expect(rb.isFull).toBe(true)
    expect(drain(rb)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 100, 101])
  })

  it('pops part of a request when few are there and counts the shortfall as underrun', () => {
    const rb = RingBuffer.create(10, Float32Array)
    rb.push(seq(3))
    const dst = new Float32Array(6).fill(-1)
    expect(rb.pop(dst, 5, 1)).toBe(3)
    expect([...dst]).toEqual([-1, 1, 2, 3, -1, -1])
    expect(rb.underruns).toBe(2)
  })

  it('honours offsets and lengths on both sides', () => {
    const rb = RingBuffer.create(32, Float32Array)
    const src = seq(10) // 1…10
    expect(rb.push(src, 3, 2)).toBe(3) // 3, 4, 5
    expect(rb.push(src, undefined, 8)).toBe(2) // default length: 9, 10
    expect(rb.push(src, 0, 10)).toBe(0) // an empty range at the very end is fine
    const dst = new Float32Array(8)
    expect(rb.pop(dst, undefined, 3)).toBe(5) // default length: 8 - 3 = 5
    expect([...dst]).toEqual([0, 0, 0, 3, 4, 5, 9, 10])
    expect(rb.underruns).toBe(0)
  })

  it('validates offsets and lengths with a RangeError and changes nothing', () => {
    const rb = RingBuffer.create(8, Float32Array)
    rb.push(seq(4))
    const a = new Float32Array(4)
    const bad: [number | undefined, number | undefined][] = [
      [5, undefined], // length past the end
      [3, 2], // offset + length past the end
      [undefined, 5], // offset past the end
      [-1, 0],
      [1, -1],
      [1.5, 0],
      [1, 0.5],
      [Number.NaN, 0],
      [1, Number.NaN],
      [Infinity, 0],
    ]
    for (const [length, offset] of bad) {
      expect(() => rb.push(a, length, offset)).toThrow(RangeError)
      expect(() => rb.pop(a, length, offset)).toThrow(RangeError)
      expect(() => rb.peek(a, length, offset)).toThrow(RangeError)
    }
    expect(() => rb.discard(-1)).toThrow(RangeError)
    expect(() => rb.discard(0.5)).toThrow(RangeError)
    expect(rb.availableRead).toBe(4)
    expect(rb.overruns).toBe(0)
    expect(rb.underruns).toBe(0)
  })

  it('peek copies without consuming or counting; discard drops without copying or counting', () => {
    const rb = RingBuffer.create(8, Float32Array)
    rb.push(seq(5))
    const d = new Float32Array(8)
    expect(rb.peek(d)).toBe(5)
    expect(rb.availableRead).toBe(5)
    expect(rb.discard(2)).toBe(2)
    expect(rb.discard(10)).toBe(3)
    expect(rb.isEmpty).toBe(true)
    expect(rb.peek(d)).toBe(0)
    expect(rb.discard(4)).toBe(0)
    expect(rb.underruns).toBe(0)
  })

  it('keeps order and counts across the wrap of the index counters (modulo a multiple of the capacity)', () => {
    const rb = RingBuffer.create(10, Float32Array)
    const m = modulusFor(10)
    expect(m % 10).toBe(0)
    expect(m).toBeGreaterThanOrEqual(2 * 10)
    expect(m).toBeLessThanOrEqual(2 ** 30)
    // Start both indices just before the wrap (an empty ring), as after ~2^30 elements.
    const h = new Int32Array(rb.buffer, 0, HEADER_BYTES / 4)
    Atomics.store(h, H_WRITE, m - 3)
    Atomics.store(h, H_READ, m - 3)
    const other = RingBuffer.from(rb.buffer, Float32Array)
    expect(other.isEmpty).toBe(true)
    let next = 0
    let expected = 0
    const out = new Float32Array(7)
    for (let i = 0; i < 50; i++) {
      next += other.push(seq(7, next))
      expect(other.availableRead).toBe(next - expected)
      const k = other.pop(out, 4 + (i % 4))
      expect([...out.subarray(0, k)]).toEqual([...seq(k, expected)])
      expected += k
    }
    expect(Atomics.load(h, H_WRITE)).toBeLessThan(m)
    expect(Atomics.load(h, H_WRITE)).toBe((m - 3 + next) % m)
    expect(other.overruns + next).toBe(50 * 7)
  })

  it('accepts plain arrays on either side and converts like a typed-array store', () => {
    const rb = RingBuffer.create(4, Int16Array)
    expect(rb.push([1, 2.7, -3, 40000])).toBe(4)
    const out: number[] = [0, 0, 0, 0]
    expect(rb.pop(out)).toBe(4)
    expect(out).toEqual([1, 2, -3, 40000 - 65536])
  })

  it('holds bigint elements in BigInt64Array / BigUint64Array rings', () => {
    const rb = RingBuffer.create(3, BigInt64Array)
    expect(rb.push(BigInt64Array.of(-(2n ** 63n), 5n, 2n ** 63n - 1n, 9n))).toBe(3)
    const out = new BigInt64Array(3)
    expect(rb.pop(out)).toBe(3)
    expect([...out]).toEqual([-(2n ** 63n), 5n, 2n ** 63n - 1n])
    const u = RingBuffer.create(2, BigUint64Array)
    expect(u.push([2n ** 64n - 1n])).toBe(1)
    expect(RingBuffer.from(u.buffer, BigUint64Array).availableRead).toBe(1)
  })

  it('works for every integer and float element type', () => {
    const types = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array]
    for (const T of types) {
      const rb = RingBuffer.create(5, T as TypedArrayConstructor<Float32Array>)
      const src = T.from([1, 2, 3, 4, 5, 6, 7])
      expect(rb.push(src, 4, 1)).toBe(4)
      expect(rb.push(src, 3)).toBe(1)
      const out = new T(6)
      expect(rb.pop(out, 6)).toBe(5)
      expect([...out]).toEqual([2, 3, 4, 5, 1, 0])
      expect([rb.overruns, rb.underruns]).toEqual([2, 1])
    }
  })
})
