import { addCounter, readCounter } from './counter.js'
import { copy, SET_MIN, type Sink, type Source } from './copy.js'
import { deinterleave2, interleave2 } from './stereo.js'
import {
  H_BYTES_PER_ELEMENT,
  H_CAPACITY,
  H_DATA_OFFSET,
  H_MAGIC,
  H_MODULUS,
  H_OVERRUN,
  H_READ,
  H_TYPE,
  H_UNDERRUN,
  H_VERSION,
  H_WRITE,
  HEADER_BYTES,
  HEADER_WORDS,
  MAGIC,
  MAX_CAPACITY,
  modulusFor,
  VERSION,
} from './layout.js'
import { type ElementOf, type TypedArray, type TypedArrayConstructor, typeCodeOf, typeNameOf, type WritableArrayLike } from './types.js'

/**
 * A lock-free, wait-free single-producer / single-consumer ring of typed-array elements in a SharedArrayBuffer.
 *
 * One thread pushes, one thread pops; each thread holds its own `RingBuffer` object over the same
 * {@link RingBuffer.buffer} (made by {@link RingBuffer.create} on one side, attached with {@link RingBuffer.from} on
 * the other). `push`, `pop`, `peek`, `discard`, `pushFrames` and `popFrames` never block, never loop on the other
 * thread, and allocate nothing.
 *
 * Indices are element counters modulo a multiple of the capacity (see the README's memory layout), so all
 * `capacity` slots are usable and a full ring is told from an empty one without a spare slot. The producer writes
 * the elements, then publishes them with one `Atomics.store` of the write index; the consumer `Atomics.load`s that
 * index before it reads them (and symmetrically for the read index), which is exactly the ordering the JavaScript
 * memory model needs.
 *
 * Roles: only the producer may call `push`/`pushFrames`; only the consumer may call `pop`/`popFrames`/`peek`/
 * `discard`. The getters may be read from any thread.
 *
 * @typeParam T - The typed array the ring holds, e.g. `Float32Array`.
 */
export class RingBuffer<T extends TypedArray = Float32Array> {
  /** The SharedArrayBuffer holding header and elements; post it to another thread and attach with {@link RingBuffer.from}. */
  readonly buffer: SharedArrayBuffer
  /** How many elements the ring holds when full. */
  readonly capacity: number
  /** The element type the ring was created with, e.g. `Float32Array`. */
  readonly type: TypedArrayConstructor<T>

  private readonly _h: Int32Array
  private readonly _d: T
  private readonly _m: number
  // Producer-side cache: the write index this object last stored, and the read index it last saw.
  private _pw = -1
  private _pr = 0
  // Consumer-side cache: the read index this object last stored, and the write index it last saw.
  private _cr = -1
  private _cw = 0

  private constructor(buffer: SharedArrayBuffer, type: TypedArrayConstructor<T>, capacity: number, modulus: number) {
    this.buffer = buffer
    this.capacity = capacity
    this.type = type
    this._m = modulus
    this._h = new Int32Array(buffer, 0, HEADER_WORDS)
    this._d = new type(buffer, HEADER_BYTES, capacity)
  }

  /**
   * Bytes of SharedArrayBuffer a ring of `capacity` elements of `type` needs (header included).
   * @throws RangeError if `capacity` is not an integer in 1…2^29.
   */
  static bytesFor(capacity: number, type: TypedArrayConstructor<TypedArray>): number {
    typeCodeOf(type)
    checkCapacity(capacity)
    return HEADER_BYTES + capacity * type.BYTES_PER_ELEMENT
  }

  /**
   * Allocates a new, empty ring in a fresh SharedArrayBuffer.
   * @param capacity - Elements the ring holds when full (1…2^29). For interleaved audio: frames × channels.
   * @param type - The element type, e.g. `Float32Array`.
   * @throws RangeError for a bad capacity; TypeError if `type` is not a typed-array class or SharedArrayBuffer
   *   is unavailable (a browser page that is not cross-origin isolated).
   */
  static create<T extends TypedArray>(capacity: number, type: TypedArrayConstructor<T>): RingBuffer<T> {
    const code = typeCodeOf(type)
    checkCapacity(capacity)
    if (typeof SharedArrayBuffer !== 'function') {
      throw new TypeError('SharedArrayBuffer is not available here (a browser page needs cross-origin isolation: COOP + COEP)')
    }
    const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity * type.BYTES_PER_ELEMENT)
    const h = new Int32Array(buffer, 0, HEADER_WORDS)
    const modulus = modulusFor(capacity)
    h[H_VERSION] = VERSION
    h[H_TYPE] = code
    h[H_BYTES_PER_ELEMENT] = type.BYTES_PER_ELEMENT
    h[H_CAPACITY] = capacity
    h[H_MODULUS] = modulus
    h[H_DATA_OFFSET] = HEADER_BYTES
    // Published last: a buffer with the magic is complete (postMessage orders it anyway).
    Atomics.store(h, H_MAGIC, MAGIC)
    return new RingBuffer(buffer, type, capacity, modulus)
  }

  /**
   * Attaches to a ring made by {@link RingBuffer.create}, typically in another thread (a Worker, a `worker_threads`
   * worker, an AudioWorkletProcessor) that received `rb.buffer` by `postMessage` or `processorOptions`.
   * Creates two views; no copy.
   * @param buffer - The ring's {@link RingBuffer.buffer}.
   * @param type - The element type it was created with (a subclass of it also works).
   * @throws TypeError if `buffer` is not a ring's SharedArrayBuffer or holds another element type.
   */
  static from<T extends TypedArray>(buffer: SharedArrayBuffer, type: TypedArrayConstructor<T>): RingBuffer<T> {
    const code = typeCodeOf(type)
    if (Object.prototype.toString.call(buffer) !== '[object SharedArrayBuffer]') {
      throw new TypeError('RingBuffer.from expects the SharedArrayBuffer of a ring (rb.buffer)')
    }
    if (buffer.byteLength < HEADER_BYTES) throw new TypeError('buffer is too small to hold a ring')
    const h = new Int32Array(buffer, 0, HEADER_WORDS)
    if (Atomics.load(h, H_MAGIC) !== MAGIC) throw new TypeError('buffer is not a ring buffer (bad magic)')
    if (h[H_VERSION] !== VERSION) throw new TypeError(`ring layout version ${h[H_VERSION]} is not supported (expected ${VERSION})`)
    if (h[H_TYPE] !== code) {
      throw new TypeError(`ring holds ${typeNameOf(h[H_TYPE])} elements, not ${typeNameOf(code)}`)
    }
    const capacity = h[H_CAPACITY]
    if (
      h[H_BYTES_PER_ELEMENT] !== type.BYTES_PER_ELEMENT ||
      h[H_DATA_OFFSET] !== HEADER_BYTES ||
      !(capacity >= 1 && capacity <= MAX_CAPACITY) ||
      h[H_MODULUS] !== modulusFor(capacity) ||
      buffer.byteLength < HEADER_BYTES + capacity * type.BYTES_PER_ELEMENT
    ) {
      throw new TypeError('ring header is corrupt or does not match the buffer size')
    }
    return new RingBuffer(buffer, type, capacity, h[H_MODULUS])
  }

  /**
   * Elements ready to pop. For the consumer, a safe lower bound (more may arrive at any moment); from any other
   * thread, a recent snapshot within 0…capacity.
   */
  get availableRead(): number {
    return this._used()
  }

  /**
   * Free slots ready to push into. For the producer, a safe lower bound (more may free up at any moment); from any
   * other thread, a recent snapshot within 0…capacity.
   */
  get availableWrite(): number {
    return this.capacity - this._used()
  }

  /** True when no element is ready to pop. Any thread. */
  get isEmpty(): boolean {
    return this._used() === 0
  }

  /** True when no slot is free. Any thread. */
  get isFull(): boolean {
    return this._used() === this.capacity
  }

  /**
   * Elements the producer asked to push that did not fit (summed over all `push`/`pushFrames` calls since
   * creation). Stored in the shared header: readable from any thread; exact up to 2^53.
   */
  get overruns(): number {
    return readCounter(this._h, H_OVERRUN)
  }

  /**
   * Elements the consumer asked to pop that were not there (summed over all `pop`/`popFrames` calls since
   * creation; `peek` and `discard` do not count). Stored in the shared header: readable from any thread.
   */
  get underruns(): number {
    return readCounter(this._h, H_UNDERRUN)
  }

  /**
   * Producer: copies up to `length` elements from `src[offset…]` into the ring. Copies as many as fit (possibly
   * 0) and adds the rest to {@link RingBuffer.overruns}. Never blocks; allocates nothing.
   * @param src - Elements to push (a typed array, ideally of the ring's own type, or any array-like).
   * @param length - How many to push; default `src.length - offset`.
   * @param offset - Index in `src` of the first one; default 0.
   * @returns The number of elements pushed.
   * @throws RangeError if `offset`/`length` are not non-negative integers within `src`.
   */
  push(src: ArrayLike<ElementOf<T>>, length?: number, offset?: number): number {
    const off = offset === undefined ? 0 : offset
    const n = length === undefined ? src.length - off : length
    if (off >>> 0 !== off || n >>> 0 !== n || off + n > src.length) throw rangeError('push', 'src', src.length, off, n)
    if (n === 0) return 0
    const w = this._reserve(n)
    const cap = this.capacity
    let k = cap - this._usedBy(w, this._pr)
    if (k > n) k = n
    if (k > 0) {
      const d = this._d as unknown as Sink
      const pos = w % cap
      const first = cap - pos
      if (k <= first) {
        if (k === src.length && k >= SET_MIN) (this._d as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(src, pos)
        else copy(src, off, d, pos, k)
      } else {
        copy(src, off, d, pos, first)
        copy(src, off + first, d, 0, k - first)
      }
      this._publishWrite(w, k)
    }
    if (k < n) addCounter(this._h, H_OVERRUN, n - k)
    return k
  }

  /**
   * Consumer: moves up to `length` elements from the ring into `dst[offset…]`. Moves as many as are there
   * (possibly 0) and adds the shortfall to {@link RingBuffer.underruns}; leaves the rest of `dst` untouched.
   * Never blocks; allocates nothing. To drain without counting underruns, ask for `availableRead` elements.
   * @param dst - Where to put them.
   * @param length - How many to take; default `dst.length - offset`.
   * @param offset - Index in `dst` for the first one; default 0.
   * @returns The number of elements moved.
   * @throws RangeError if `offset`/`length` are not non-negative integers within `dst`.
   */
  pop(dst: WritableArrayLike<ElementOf<T>>, length?: number, offset?: number): number {
    const off = offset === undefined ? 0 : offset
    const n = length === undefined ? dst.length - off : length
    if (off >>> 0 !== off || n >>> 0 !== n || off + n > dst.length) throw rangeError('pop', 'dst', dst.length, off, n)
    if (n === 0) return 0
    const r = this._acquire(n)
    let k = this._usedBy(this._cw, r)
    if (k > n) k = n
    if (k > 0) {
      this._copyOut(r, dst as unknown as Sink, off, k)
      this._publishRead(r, k)
    }
    if (k < n) addCounter(this._h, H_UNDERRUN, n - k)
    return k
  }

  /**
   * Consumer: copies up to `length` elements into `dst[offset…]` like {@link RingBuffer.pop}, but leaves them in
   * the ring and counts no underrun.
   * @returns The number of elements copied.
   * @throws RangeError if `offset`/`length` are not non-negative integers within `dst`.
   */
  peek(dst: WritableArrayLike<ElementOf<T>>, length?: number, offset?: number): number {
    const off = offset === undefined ? 0 : offset
    const n = length === undefined ? dst.length - off : length
    if (off >>> 0 !== off || n >>> 0 !== n || off + n > dst.length) throw rangeError('peek', 'dst', dst.length, off, n)
    if (n === 0) return 0
    const r = this._acquire(n)
    let k = this._usedBy(this._cw, r)
    if (k > n) k = n
    if (k > 0) this._copyOut(r, dst as unknown as Sink, off, k)
    return k
  }

  /**
   * Consumer: drops up to `count` elements (the oldest) without copying them; counts no underrun. Useful to skip
   * ahead when a jitter buffer runs too deep.
   * @returns The number of elements dropped.
   * @throws RangeError if `count` is not a non-negative integer.
   */
  discard(count: number): number {
    if (count >>> 0 !== count) throw new RangeError(`discard: count must be a non-negative integer, got ${String(count)}`)
    if (count === 0) return 0
    const r = this._acquire(count)
    let k = this._usedBy(this._cw, r)
    if (k > count) k = count
    if (k > 0) this._publishRead(r, k)
    return k
  }

  /**
   * Producer, interleaved audio: pushes up to `frames` frames from planar channels (`planar[c][offset + i]`)
   * into the ring as interleaved elements (`L R L R …`), whole frames only. The frames that do not fit are
   * added to {@link RingBuffer.overruns} as `missing frames × channels` elements. Allocates nothing.
   * Keep every push and pop on the ring whole frames of the same channel count, or the channels slip.
   * @param planar - One array per channel (e.g. an AudioWorklet `inputs[0]`, an `AudioBuffer`'s channel data).
   * @param frames - Frames to push; default `planar[0].length - offset`.
   * @param offset - Frame index in the channel arrays of the first one; default 0.
   * @returns The number of frames pushed.
   * @throws RangeError if there are no channels, or `offset`/`frames` do not fit in every channel.
   */
  pushFrames(planar: readonly ArrayLike<ElementOf<T>>[], frames?: number, offset?: number): number {
    const ch = planar.length
    const off = offset === undefined ? 0 : offset
    const n = frames === undefined ? (ch > 0 ? planar[0].length - off : 0) : frames
    checkPlanar('pushFrames', planar, off, n)
    if (n === 0) return 0
    const need = n * ch
    const w = this._reserve(need)
    const cap = this.capacity
    let k = Math.floor((cap - this._usedBy(w, this._pr)) / ch)
    if (k > n) k = n
    if (k > 0) {
      const total = k * ch
      const d = this._d as unknown as Sink
      const pos = w % cap
      if (ch === 2 && pos + total <= cap) interleave2(planar[0], planar[1], off, d, pos, k)
      else {
        for (let c = 0; c < ch; c++) {
          const s = planar[c]
          let p = pos + c
          if (p >= cap) p -= cap
          for (let i = 0; i < k; i++) {
            d[p] = s[off + i]
            p += ch
            if (p >= cap) p -= cap
          }
        }
      }
      this._publishWrite(w, total)
    }
    if (k < n) addCounter(this._h, H_OVERRUN, (n - k) * ch)
    return k
  }

  /**
   * Consumer, interleaved audio: pops up to `frames` whole frames from the ring and writes them de-interleaved
   * into planar channels (`planar[c][offset + i]`), e.g. straight into an AudioWorklet's `outputs[0]`. Missing
   * frames are added to {@link RingBuffer.underruns} as `missing frames × channels` elements, and the channel
   * arrays past the returned count are left untouched (fill them with silence: `out.fill(0, got)`).
   * Allocates nothing.
   * @param planar - One array per channel to write into.
   * @param frames - Frames wanted; default `planar[0].length - offset`.
   * @param offset - Frame index in the channel arrays for the first one; default 0.
   * @returns The number of frames popped.
   * @throws RangeError if there are no channels, or `offset`/`frames` do not fit in every channel.
   */
  popFrames(planar: readonly WritableArrayLike<ElementOf<T>>[], frames?: number, offset?: number): number {
    const ch = planar.length
    const off = offset === undefined ? 0 : offset
    const n = frames === undefined ? (ch > 0 ? planar[0].length - off : 0) : frames
    checkPlanar('popFrames', planar, off, n)
    if (n === 0) return 0
    const r = this._acquire(n * ch)
    const cap = this.capacity
    let k = Math.floor(this._usedBy(this._cw, r) / ch)
    if (k > n) k = n
    if (k > 0) {
      const total = k * ch
      const d = this._d as unknown as Source
      const pos = r % cap
      if (ch === 2 && pos + total <= cap) deinterleave2(d, pos, planar[0] as unknown as Sink, planar[1] as unknown as Sink, off, k)
      else {
        for (let c = 0; c < ch; c++) {
          const s = planar[c] as unknown as Sink
          let p = pos + c
          if (p >= cap) p -= cap
          for (let i = 0; i < k; i++) {
            s[off + i] = d[p]
            p += ch
            if (p >= cap) p -= cap
          }
        }
      }
      this._publishRead(r, total)
    }
    if (k < n) addCounter(this._h, H_UNDERRUN, (n - k) * ch)
    return k
  }

  /** `(w - r) mod modulus`, the number of elements between two indices. */
  private _usedBy(w: number, r: number): number {
    // Branch-free on purpose: the index wrap happens once per 2^30 elements (hours of audio), and a branch taken
    // that rarely has no JIT type feedback, so its first run would deoptimize the hot path in steady state.
    const u = w - r
    return u + (this._m & (u >> 31))
  }

  /** Elements in the ring, from a fresh look at both indices (read first, so the result is never negative). */
  private _used(): number {
    const r = Atomics.load(this._h, H_READ)
    const w = Atomics.load(this._h, H_WRITE)
    // From a third thread the two loads are not one snapshot: clamp (branch-free, see _usedBy).
    return Math.min(this._usedBy(w, r), this.capacity)
  }

  /**
   * Producer: returns the write index and leaves in `_pr` a read index recent enough to know whether `need`
   * slots are free. The shared read index (the consumer's cache line) is loaded only when the cached one says
   * there is not enough room, or when another object has pushed since this one last did.
   */
  private _reserve(need: number): number {
    const h = this._h
    const w = Atomics.load(h, H_WRITE)
    if (w !== this._pw || this.capacity - this._usedBy(w, this._pr) < need) this._pr = Atomics.load(h, H_READ)
    return w
  }

  /** Consumer: returns the read index and leaves in `_cw` a write index recent enough for `need` elements. */
  private _acquire(need: number): number {
    const h = this._h
    const r = Atomics.load(h, H_READ)
    if (r !== this._cr || this._usedBy(this._cw, r) < need) this._cw = Atomics.load(h, H_WRITE)
    return r
  }

  /** Producer: publishes `k` written elements (the release point for the data). */
  private _publishWrite(w: number, k: number): void {
    const m = this._m
    let nw = w + k
    nw -= m & ((m - 1 - nw) >> 31) // nw >= m ? nw - m : nw, branch-free (see _usedBy)
    Atomics.store(this._h, H_WRITE, nw)
    this._pw = nw
  }

  /** Consumer: releases `k` read slots back to the producer. */
  private _publishRead(r: number, k: number): void {
    const m = this._m
    let nr = r + k
    nr -= m & ((m - 1 - nr) >> 31) // nr >= m ? nr - m : nr, branch-free (see _usedBy)
    Atomics.store(this._h, H_READ, nr)
    this._cr = nr
  }

  /** Copies `k` elements starting at read index `r` into `dst[off…]`, across the wrap if needed. */
  private _copyOut(r: number, dst: Sink, off: number, k: number): void {
    const cap = this.capacity
    const src = this._d as unknown as Source
    const pos = r % cap
    const first = cap - pos
    if (k <= first) copy(src, pos, dst, off, k)
    else {
      copy(src, pos, dst, off, first)
      copy(src, 0, dst, off + first, k - first)
    }
  }
}

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    throw new RangeError(`capacity must be an integer from 1 to ${MAX_CAPACITY}, got ${String(capacity)}`)
  }
}

function rangeError(op: string, what: string, size: number, offset: unknown, length: unknown): RangeError {
  return new RangeError(
    `${op}: offset ${String(offset)} and length ${String(length)} must be non-negative integers within ${what} (length ${size})`,
  )
}

function checkPlanar(op: string, planar: readonly ArrayLike<unknown>[], off: number, n: number): void {
  const ch = planar.length
  if (ch === 0) throw new RangeError(`${op}: at least one channel is needed`)
  if (off >>> 0 !== off || n >>> 0 !== n) {
    throw new RangeError(`${op}: offset ${String(off)} and frames ${String(n)} must be non-negative integers`)
  }
  for (let c = 0; c < ch; c++) {
    if (off + n > planar[c].length) {
      throw new RangeError(`${op}: channel ${c} has ${planar[c].length} samples, fewer than offset ${off} + frames ${n}`)
    }
  }
}
