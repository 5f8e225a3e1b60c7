/**
 * A tiny typed event emitter (`on` returns an unsubscribe function). A listener that throws does not
 * stop the others; its error goes to `reportError` (or `console.error`).
 */

/** A listener of events of payload type `T`. */
export type Listener<T> = (payload: T) => void

/** Typed emitter over an event map `{ name: payload }`. */
export class Emitter<M> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>()

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(name: K, fn: Listener<M[K]>): () => void {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(fn as Listener<never>)
    return () => this.off(name, fn)
  }

  /** Removes a listener. */
  off<K extends keyof M>(name: K, fn: Listener<M[K]>): void {
    this.listeners.get(name)?.delete(fn as Listener<never>)
  }

  /** Calls every listener of `name` with `payload`. */
  emit<K extends keyof M>(name: K, payload: M[K]): void {
    const set = this.listeners.get(name)
    if (!set) return
    for (const fn of [...set]) {
      try {
        ;(fn as Listener<M[K]>)(payload)
      } catch (err) {
        const report = (globalThis as { reportError?: (e: unknown) => void }).reportError
        if (report) report(err)
        else console.error(err)
      }
    }
  }
}
