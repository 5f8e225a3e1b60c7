/**
 * Memory layout of a ring's SharedArrayBuffer. All offsets are bytes from the start of the buffer; the header is
 * read and written through one `Int32Array` view, so the slot constants below are `byteOffset / 4`.
 *
 * ```
 * bytes   0..127  meta (written once by create, read-only after): magic, version, type code,
 *                 bytes per element, capacity, index modulus, data offset
 * bytes 128..255  write index            (stored by the producer only)
 * bytes 256..383  read index             (stored by the consumer only)
 * bytes 384..511  overrun counter        (producer only: sequence word + two 64-bit slots)
 * bytes 512..639  underrun counter       (consumer only: sequence word + two 64-bit slots)
 * bytes 640..     capacity × BYTES_PER_ELEMENT of element storage
 * ```
 * Each block is written by one thread only, and blocks are 128 bytes apart, so the write index, the read index,
 * the counters and the first data element never share a 64-byte cache line (nor a 128-byte one when the buffer is
 * 128-aligned, which also covers adjacent-line prefetchers and Apple M-series 128-byte lines). A counter update
 * (on overrun or underrun) therefore never invalidates the line the other thread polls for the index.
 */
export const HEADER_BYTES = 640

/** `'RBUF'` — first header word of every ring. @internal */
export const MAGIC = 0x52425546
/** Layout version, bumped on any incompatible change. @internal */
export const VERSION = 1

/** @internal */ export const H_MAGIC = 0
/** @internal */ export const H_VERSION = 1
/** @internal */ export const H_TYPE = 2
/** @internal */ export const H_BYTES_PER_ELEMENT = 3
/** @internal */ export const H_CAPACITY = 4
/** @internal */ export const H_MODULUS = 5
/** @internal */ export const H_DATA_OFFSET = 6

/** Write index (byte 128). Only the producer stores it. @internal */
export const H_WRITE = 32
/** Read index (byte 256). Only the consumer stores it. @internal */
export const H_READ = 64
/** Overrun counter (byte 384): sequence word, then two (lo, hi) slots. Only the producer stores them. @internal */
export const H_OVERRUN = 96
/** Underrun counter (byte 512): sequence word, then two (lo, hi) slots. Only the consumer stores them. @internal */
export const H_UNDERRUN = 128

/** Header length in 32-bit words. @internal */
export const HEADER_WORDS = HEADER_BYTES / 4

/**
 * Largest capacity, in elements: 2^29. Indices run modulo a multiple of the capacity that is at most 2^30, so they
 * stay small integers (V8 "Smis": no boxing, no allocation) and that multiple is at least twice the capacity.
 */
export const MAX_CAPACITY = 2 ** 29

/**
 * The index modulus for a capacity: the largest multiple of `capacity` not above 2^30. Indices count elements
 * modulo this number, so `index % capacity` is the storage position and continues smoothly across the wrap, and
 * `(write - read) mod modulus` tells a full ring (= capacity) from an empty one (= 0) without an empty slot.
 * @internal
 */
export function modulusFor(capacity: number): number {
  return capacity * Math.floor(2 ** 30 / capacity)
}
