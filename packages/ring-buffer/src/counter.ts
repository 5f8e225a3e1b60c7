/**
 * 64-bit event counters in the shared header, written by one thread and readable from any.
 *
 * A counter is a sequence word followed by two (lo, hi) slots. The single writer fills the slot the sequence does
 * NOT point at, then publishes it by incrementing the sequence (`Atomics.store`, sequentially consistent). A reader
 * loads the sequence, the slot it points at, and the sequence again; equal sequences prove the writer did not touch
 * that slot meanwhile. Writing is wait-free (four stores); reading is lock-free (it retries only when the writer
 * has completed an update during the read, never because a writer is stalled half-way).
 * Counts are exact up to 2^53.
 * @internal
 */

const TWO_32 = 4294967296

/** Reads the counter whose sequence word is at `base`. @internal */
export function readCounter(h: Int32Array, base: number): number {
  for (;;) {
    const seq = Atomics.load(h, base)
    const slot = base + 1 + ((seq & 1) << 1)
    const lo = Atomics.load(h, slot) >>> 0
    const hi = Atomics.load(h, slot + 1) >>> 0
    if (Atomics.load(h, base) === seq) return hi * TWO_32 + lo
  }
}

/** Adds `n` to the counter at `base`. Only the counter's owner (one thread) may call this. @internal */
export function addCounter(h: Int32Array, base: number, n: number): void {
  const seq = Atomics.load(h, base)
  const cur = base + 1 + ((seq & 1) << 1)
  const value = (Atomics.load(h, cur + 1) >>> 0) * TWO_32 + (Atomics.load(h, cur) >>> 0) + n
  const next = base + 1 + (((seq + 1) & 1) << 1)
  Atomics.store(h, next, value >>> 0)
  Atomics.store(h, next + 1, Math.floor(value / TWO_32) >>> 0)
  Atomics.store(h, base, (seq + 1) | 0)
}
