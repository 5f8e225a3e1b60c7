/**
 * The now-playing bar: what plays, the chord of the current bar, key/mode/tempo, a stop button, and a
 * polite live region that announces the stream, style, key and tempo when they change (not every chord).
 */
import type { NowPlaying } from '@auralis/client-player'
import { h, setText } from './dom.js'
import type { PlayerHost } from './player-host.js'

/** The now-playing view. */
export interface NowPlayingView {
  /** Shows what sounds now. */
  update(now: NowPlaying | undefined): void
}

/** The sentence the live region announces for a stream and what it plays. */
export function announcement(label: string, now: NowPlaying | undefined): string {
  if (!now) return `${label}: buffering`
  const s = now.section
  return `Now playing ${label}: ${s.style} in ${s.key} ${s.mode}, ${Math.round(s.bpm)} bpm`
}

/** Renders the now-playing bar into `root`. */
export function mountNowPlaying(root: HTMLElement, host: PlayerHost): NowPlayingView {
  const title = h('span', { class: 'np-title' }, 'Nothing playing')
  const chord = h('span', { class: 'chord', id: 'chord', 'aria-label': 'Chord' }, '—')
  const detail = h('span', { class: 'np-detail', id: 'np-detail' })
  const live = h('p', { class: 'sr', id: 'np-live', 'aria-live': 'polite', role: 'status' })
  const stop = h('button', { type: 'button', id: 'stop', disabled: true }, 'Stop')
  stop.addEventListener('click', () => host.stop())
  root.append(h('div', { class: 'np-main' }, title, detail), chord, stop, live)
  let said = ''

  host.addEventListener('change', () => {
    const p = host.playing
    setText(title, p ? p.label : 'Nothing playing')
    stop.disabled = !p
    if (!p) {
      setText(chord, '—')
      setText(detail, '')
      said = ''
      setText(live, 'Stopped')
    }
  })

  return {
    update(now) {
      const p = host.playing
      if (!p) return
      const s = now?.section
      setText(chord, now?.chord?.symbol ?? '—')
      setText(detail, s ? `${s.style} · ${s.key} ${s.mode} · ${Math.round(s.bpm)} bpm · bar ${s.bar + 1}` : p.player.state)
      const text = announcement(p.label, now)
      if (text !== said) setText(live, (said = text))
    },
  }
}
