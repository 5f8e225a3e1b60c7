// The two rings under test, behind one tiny adapter so the bench loops are identical for both.
import { RingBuffer as Ours } from '../dist/index.js'
import { RingBuffer as TheirRing } from 'ringbuf.js'

/** name → { create(capacity) → shared buffer, attach(buffer) → { push(src, len, off), pop(dst, len, off) } } */
export const impls = {
  ours: {
    label: '@auralis/ring-buffer',
    create: (capacity) => Ours.create(capacity, Float32Array).buffer,
    attach: (buffer) => Ours.from(buffer, Float32Array),
  },
  'ringbuf.js': {
    label: 'ringbuf.js 0.4.0',
    create: (capacity) => TheirRing.getStorageForCapacity(capacity, Float32Array),
    attach: (buffer) => new TheirRing(buffer, Float32Array),
  },
}
