/**
 * The scheduler's heartbeat. Main-thread timers are throttled to ≥1 s in background tabs; a dedicated
 * Worker's `setInterval` is not, so the tick runs in a blob-URL Worker, falling back to the main thread
 * where Workers or blob URLs are unavailable or fail to start (e.g. a strict Content-Security-Policy).
 * A Worker takes a while to start (hundreds of ms on a busy machine), so the main thread ticks until
 * the Worker's first tick arrives.
 */

/** A running ticker. */
export interface Ticker {
  /** Where the interval runs now. */
  readonly kind: 'worker' | 'main'
  /** Stops ticking. */
  stop(): void
}

const WORKER_SOURCE = 'let id;onmessage=(e)=>{clearInterval(id);if(e.data>0)id=setInterval(()=>postMessage(0),e.data)}'

/** Calls `fn` every `intervalMs` from a Worker timer, or the main thread when a Worker cannot run. */
export function startTicker(intervalMs: number, fn: () => void, preferWorker = true): Ticker {
  let kind: 'worker' | 'main' = 'main'
  let mainId: ReturnType<typeof setInterval> | undefined
  let worker: Worker | undefined
  let url: string | undefined
  const fallBack = (): void => {
    worker?.terminate()
    worker = undefined
    if (url) URL.revokeObjectURL(url)
    url = undefined
    kind = 'main'
    clearInterval(mainId)
    mainId = setInterval(fn, intervalMs)
  }
  if (preferWorker && typeof Worker !== 'undefined' && typeof Blob !== 'undefined' && typeof URL?.createObjectURL === 'function') {
    try {
      url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }))
      worker = new Worker(url)
      mainId = setInterval(fn, intervalMs) // bridge until the worker is up
      worker.onmessage = () => {
        if (mainId !== undefined) {
          clearInterval(mainId)
          mainId = undefined
        }
        fn()
      }
      worker.onerror = fallBack // e.g. blocked by CSP after construction
      worker.postMessage(intervalMs)
      kind = 'worker'
    } catch {
      fallBack()
    }
  } else fallBack()
  return {
    get kind() {
      return kind
    },
    stop: () => {
      worker?.postMessage(0)
      worker?.terminate()
      if (url) URL.revokeObjectURL(url)
      clearInterval(mainId)
      worker = undefined
      url = undefined
      mainId = undefined
    },
  }
}
