/**
 * Every typed array a {@link RingBuffer} can hold. The ring only moves elements; it never interprets them.
 */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array

/**
 * A typed-array class (`Float32Array`, `Int16Array`, …) — or a subclass of one — used to tell a ring what it holds.
 */
export interface TypedArrayConstructor<T extends TypedArray> {
  /** Builds a view of `length` elements at `byteOffset` in `buffer`. */
  new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T
  /** Size in bytes of one element. */
  readonly BYTES_PER_ELEMENT: number
  /** The class name (`"Float32Array"`); used to tag a shared buffer with its element type. */
  readonly name: string
}

/** The element of a typed array: `bigint` for the 64-bit integer arrays, `number` for the others. */
export type ElementOf<T extends TypedArray> = T extends BigInt64Array | BigUint64Array ? bigint : number

/** Something indexable with a length that can be written to: a typed array, an `Array`, … */
export interface WritableArrayLike<E> {
  /** Number of elements. */
  readonly length: number
  /** Element access. */
  [index: number]: E
}

/** Type codes stored in a ring's header so that {@link RingBuffer.from} can refuse the wrong element type. */
const TYPE_CODES: Readonly<Record<string, number>> = {
  Int8Array: 1,
  Uint8Array: 2,
  Uint8ClampedArray: 3,
  Int16Array: 4,
  Uint16Array: 5,
  Int32Array: 6,
  Uint32Array: 7,
  Float32Array: 8,
  Float64Array: 9,
  BigInt64Array: 10,
  BigUint64Array: 11,
  Float16Array: 12,
}

/**
 * The header code of a typed-array class (a subclass gets its built-in base's code), or throws a TypeError.
 * Works across realms (an AudioWorklet's `Float32Array` is another object than the page's) because it goes by name.
 * @internal
 */
export function typeCodeOf(Type: unknown): number {
  if (typeof Type !== 'function' || typeof (Type as { BYTES_PER_ELEMENT?: unknown }).BYTES_PER_ELEMENT !== 'number') {
    throw new TypeError('expected a typed-array class such as Float32Array as the element type')
  }
  let C: unknown = Type
  while (typeof C === 'function') {
    const name: unknown = C.name
    if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(TYPE_CODES, name)) return TYPE_CODES[name]
    C = Object.getPrototypeOf(C)
  }
  throw new TypeError(`${String((Type as { name?: unknown }).name)} is not a typed-array class`)
}

/** The class name for a header type code (for error messages). @internal */
export function typeNameOf(code: number): string {
  for (const [name, c] of Object.entries(TYPE_CODES)) if (c === code) return name
  return `unknown type #${code}`
}
