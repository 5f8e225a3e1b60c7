/**
 * Element copies with no allocation.
 *
 * `dst.set(src.subarray(a, b), at)` is the fastest copy V8 has (a `memmove`), but `subarray` allocates a new view
 * object on every call, and this package promises no allocation after construction (an AudioWorklet must not feed
 * the garbage collector). So ranges are copied by a 16× unrolled loop, which V8 compiles to straight loads and
 * stores (measured ≈1.3–1.7 G Float32 elements/s here, against ≈2.2–7 G/s for `subarray` + `set`). When a
 * whole source array is copied, `set` is used directly, which needs no view and allocates nothing.
 * @internal
 */

/** Minimum element count for which `set` on a whole source beats the loop (the builtin call has a fixed cost). */
export const SET_MIN = 32

/** Any source of elements: a typed array, an `Array`, … @internal */
export interface Source {
  readonly length: number
  readonly [index: number]: unknown
}

/** Any destination of elements. @internal */
export interface Sink {
  readonly length: number
  [index: number]: unknown
}

/** Copies `n` elements from `src[s…]` to `dst[d…]`. @internal */
export function copy(src: Source, s: number, dst: Sink, d: number, n: number): void {
  let i = 0
  for (; i <= n - 16; i += 16) {
    dst[d + i] = src[s + i]
    dst[d + i + 1] = src[s + i + 1]
    dst[d + i + 2] = src[s + i + 2]
    dst[d + i + 3] = src[s + i + 3]
    dst[d + i + 4] = src[s + i + 4]
    dst[d + i + 5] = src[s + i + 5]
    dst[d + i + 6] = src[s + i + 6]
    dst[d + i + 7] = src[s + i + 7]
    dst[d + i + 8] = src[s + i + 8]
    dst[d + i + 9] = src[s + i + 9]
    dst[d + i + 10] = src[s + i + 10]
    dst[d + i + 11] = src[s + i + 11]
    dst[d + i + 12] = src[s + i + 12]
    dst[d + i + 13] = src[s + i + 13]
    dst[d + i + 14] = src[s + i + 14]
    dst[d + i + 15] = src[s + i + 15]
  }
  for (; i < n; i++) dst[d + i] = src[s + i]
}
