/**
 * The app: now-playing bar, stations, private session, tracker, piano roll and status, wired to one
 * {@link PlayerHost}. Views redraw on animation frames; the status panel twice a second.
 */
import { createApi } from './api.js'
import { h } from './dom.js'
import { mountNowPlaying } from './now-playing-view.js'
import { mountPianoRoll } from './piano-roll.js'
import { PlayerHost } from './player-host.js'
import { mountSession } from './session-controls.js'
import { mountStations } from './stations-view.js'
import { mountStatus } from './status-panel.js'
import { mountTracker } from './tracker-grid.js'

/** What {@link mountApp} needs from its environment. */
export interface AppEnv {
  /** Server origin the API and streams live on. */
  readonly origin: string
  /** fetch. */
  readonly fetch: typeof fetch
}

/** Builds the app into `root`; returns the player host (also exposed as `window.auralis` for tests and debugging). */
export function mountApp(root: HTMLElement, env: AppEnv): PlayerHost {
  const api = createApi(env.origin, env.fetch)
  const host = new PlayerHost()
  const card = (cls: string, labelledBy: string): HTMLElement => h('section', { class: `card ${cls}`, 'aria-labelledby': labelledBy })
  const nowCard = h('section', { class: 'card now-playing', 'aria-label': 'Now playing' })
  const alert = h('p', { class: 'alert', role: 'alert', hidden: true })
  const stations = card('stations-card', 'stations-h')
  const session = card('session-card', 'session-h')
  const tracker = card('tracker-card', 'tracker-h')
  const roll = card('roll-card', 'roll-h')
  const status = card('status-card', 'status-h')
  root.append(nowCard, alert, h('div', { class: 'grid' }, stations, session, roll, tracker, status))

  const onError = (message: string): void => {
    alert.textContent = message
    alert.hidden = false
  }
  host.addEventListener('player', (e) => {
    alert.hidden = true
    const { player } = (e as CustomEvent<{ player: import('@auralis/client-player').Player }>).detail
    player.on('error', (err) => {
      if (err.code === 'output' || err.code === 'audio-unavailable' || err.code === 'server') onError(err.message)
    })
  })

  const nowView = mountNowPlaying(nowCard, host)
  mountStations(stations, { api, host, onError })
  mountSession(session, { api, host, onError })
  const trackerView = mountTracker(tracker)
  const rollView = mountPianoRoll(roll)
  const statusView = mountStatus(status, env.fetch)

  const frame = (): void => {
    const t = host.streamTime()
    trackerView.update(host.sections, t)
    rollView.draw(host.sections, t)
    nowView.update(host.player?.nowPlaying())
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  statusView.update(undefined)
  setInterval(() => statusView.update(host.player?.stats()), 500)
  ;(globalThis as { auralis?: PlayerHost }).auralis = host
  return host
}
