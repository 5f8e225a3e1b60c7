/**
 * The status card: server health and isolation, then the player's connection, buffer depth, clock
 * offset, round trip, output latency and late/skipped counts.
 */
import type { PlayerStats } from '@auralis/client-player'
import { h, setText } from './dom.js'
import { statusRows } from './format.js'

/** The status view. */
export interface StatusPanel {
  /** Shows these stats (or none). */
  update(stats: PlayerStats | undefined): void
}

/** Renders the status card into `root` and checks the server's health once. */
export function mountStatus(root: HTMLElement, fetchFn: typeof fetch): StatusPanel {
  const health = h('dd', { id: 'health' }, 'checking…')
  const isolation = h('dd', { id: 'isolation' }, globalThis.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated')
  const list = h('dl', { class: 'status', id: 'player-status' }, h('dt', {}, 'Server'), health, h('dt', {}, 'Isolation'), isolation)
  root.append(h('h2', { id: 'status-h' }, 'Status'), list)
  const cells = new Map<string, HTMLElement>()

  void (async () => {
    try {
      const res = await fetchFn('/health')
      const body = (await res.json()) as { status: string }
      health.textContent = body.status
      health.dataset.status = body.status
    } catch (err) {
      health.textContent = `unreachable (${(err as Error).message})`
      health.dataset.status = 'unreachable'
    }
  })()

  return {
    update(stats) {
      const rows = statusRows(stats)
      const keys = new Set(rows.map((r) => r.key))
      for (const [k, dd] of cells) {
        if (!keys.has(k)) {
          dd.previousElementSibling?.remove()
          dd.remove()
          cells.delete(k)
        }
      }
      for (const r of rows) {
        let dd = cells.get(r.key)
        if (!dd) {
          dd = h('dd', { 'data-key': r.key })
          list.append(h('dt', {}, r.label), dd)
          cells.set(r.key, dd)
        }
        setText(dd, r.value)
      }
    },
  }
}
