/**
 * The stations list: name, style, key/tempo and listener count of each station (refreshed every few
 * seconds, updated in place so focus stays put), with a play/stop button each.
 */
import type { StationInfo } from '@auralis/protocol'
import type { Api } from './api.js'
import { h, setText } from './dom.js'
import type { PlayerHost } from './player-host.js'

/** Options of {@link mountStations}. */
export interface StationsOptions {
  /** The API. */
  readonly api: Api
  /** The player slot. */
  readonly host: PlayerHost
  /** Reports a failure to the user. */
  readonly onError: (message: string) => void
  /** Refresh interval, ms (default 4000). */
  readonly refreshMs?: number
}

/** One-line description of a station: `ambient · A aeolian · 240 bpm` (plus `· server audio` for an audio-mode station). */
export function describeStation(s: Pick<StationInfo, 'style' | 'controls'> & Partial<Pick<StationInfo, 'mode'>>): string {
  return `${s.style} · ${s.controls.key} ${s.controls.mode} · ${Math.round(s.controls.bpm)} bpm${s.mode === 'audio' ? ' · server audio' : ''}`
}

/** `1 listener`, `3 listeners`. */
export function listenersText(n: number): string {
  return `${n} listener${n === 1 ? '' : 's'}`
}

/** Renders the stations card into `root` and keeps it fresh; returns a function that stops refreshing. */
export function mountStations(root: HTMLElement, { api, host, onError, refreshMs = 4000 }: StationsOptions): () => void {
  const list = h('ul', { class: 'stations', 'aria-busy': 'true' })
  const status = h('p', { class: 'muted' }, 'Loading stations…')
  root.append(h('h2', { id: 'stations-h' }, 'Stations'), status, list)
  const rows = new Map<string, { li: HTMLLIElement; desc: HTMLElement; count: HTMLElement; button: HTMLButtonElement }>()

  const toggle = (s: StationInfo): void => {
    const key = `station:${s.id}`
    if (host.playing?.key === key) {
      host.stop()
      return
    }
    host.start(key, s.name, api.streamUrl('station', s.id), undefined, s.mode === 'audio' ? 'audio' : 'tone').catch((e: Error) => onError(`Cannot play ${s.name}: ${e.message}`))
  }

  const render = (stations: StationInfo[]): void => {
    list.setAttribute('aria-busy', 'false')
    setText(status, stations.length ? '' : 'No stations.')
    status.hidden = stations.length > 0
    for (const s of stations) {
      let row = rows.get(s.id)
      if (!row) {
        const button = h('button', { type: 'button', class: 'play', 'data-station': s.id, 'aria-pressed': 'false' }, 'Play')
        button.addEventListener('click', () => toggle(current.get(s.id) ?? s))
        const desc = h('span', { class: 'desc' })
        const count = h('span', { class: 'listeners', 'data-station': s.id })
        const li = h('li', { class: 'station' }, h('span', { class: 'name' }, s.name), desc, count, button)
        row = { li, desc, count, button }
        rows.set(s.id, row)
        list.append(li)
      }
      setText(row.desc, describeStation(s))
      setText(row.count, listenersText(s.listeners))
      row.count.dataset.count = String(s.listeners)
      row.button.setAttribute('aria-label', `Play ${s.name}`)
    }
    for (const [id, row] of rows) if (!current.has(id)) { row.li.remove(); rows.delete(id) }
    syncButtons()
  }

  const current = new Map<string, StationInfo>()
  const syncButtons = (): void => {
    for (const [id, row] of rows) {
      const on = host.playing?.key === `station:${id}`
      row.button.setAttribute('aria-pressed', String(on))
      setText(row.button, on ? 'Stop' : 'Play')
      row.button.setAttribute('aria-label', `${on ? 'Stop' : 'Play'} ${current.get(id)?.name ?? id}`)
      row.li.classList.toggle('on', on)
    }
  }

  const refresh = async (): Promise<void> => {
    try {
      const stations = await api.listStations()
      current.clear()
      for (const s of stations) current.set(s.id, s)
      render(stations)
    } catch (e) {
      setText(status, `Cannot load stations: ${(e as Error).message}`)
      status.hidden = false
    }
  }
  // A station started or stopped here changes its listener count: refresh soon after.
  let soon: ReturnType<typeof setTimeout> | undefined
  const onChange = (): void => {
    syncButtons()
    clearTimeout(soon)
    soon = setTimeout(() => void refresh(), 700)
  }
  host.addEventListener('change', onChange)
  void refresh()
  const timer = setInterval(() => void refresh(), refreshMs)
  return () => {
    clearInterval(timer)
    clearTimeout(soon)
    host.removeEventListener('change', onChange)
  }
}
