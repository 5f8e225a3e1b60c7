import type { Controls, ControlsRequest, Section } from '@auralis/protocol'

/** What a conductor needs of a composer (`@auralis/composition`'s Composer satisfies it). */
export interface ComposerPort {
  /** Composes the next section synchronously (algorithmic). */
  next(): Section
  /** Composes the next section, possibly asking an LLM; falls back to the algorithmic generator itself. */
  nextAsync?(): Promise<Section>
  /** Changes controls from the next bar not yet composed; returns that bar and its start time. */
  set(controls: ControlsRequest): { bar: number; time: number }
  /** Plain-JSON state from which the composer can be restored exactly. */
  snapshot(): unknown
  /** Controls now in force. */
  readonly controls: Controls
}

/** What a conductor needs of the fan-out hub (`@auralis/server-sse`'s Hub satisfies it through an adapter). */
export interface PublishPort {
  /** Publishes one message to a room; resolves with the message id. */
  publish(room: string, type: string, data: unknown): Promise<string> | string
}

/** Clock and timers, injected so tests run on a fake clock. */
export interface Clock {
  /** Wall-clock milliseconds. */
  now(): number
  /** Like setTimeout; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return () => clearTimeout(t)
  },
}
