/**
 * `<auralis-player>`: a play/pause button and a now-playing line in shadow DOM, around a {@link Player}.
 */
import { createPlayer, type Player, type PlayerOptions } from './player.js'
import { streamUrlFromAttributes } from './urls.js'

/** The public surface of the `<auralis-player>` element. */
export interface AuralisPlayerElement extends HTMLElement {
  /** The player behind the element (created on the first `play()`). */
  readonly player: Player | undefined
  /** Starts playing (call from a user gesture, like the built-in button does). */
  play(): Promise<void>
  /** Stops playing. */
  stop(): void
}

/** Attributes the element reads. */
export const AURALIS_PLAYER_ATTRIBUTES = ['src', 'station', 'session', 'transport', 'output'] as const

const STYLE = `
:host{display:inline-flex;align-items:center;gap:.6em;font:14px/1.3 system-ui,sans-serif;color:inherit}
button{inline-size:2.4em;block-size:2.4em;border-radius:50%;border:1px solid currentColor;background:transparent;color:inherit;cursor:pointer;font-size:1em}
button:focus-visible{outline:2px solid Highlight;outline-offset:2px}
.now{opacity:.85;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sr{position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%)}
`

/**
 * Defines `<auralis-player>` (or `tagName`) unless already defined, and returns its class.
 * Call it in a browser only (the class extends `HTMLElement`).
 */
export function defineAuralisPlayer(tagName = 'auralis-player', makePlayer: (o: PlayerOptions) => Player = createPlayer): CustomElementConstructor {
  const existing = customElements.get(tagName)
  if (existing) return existing

  class AuralisPlayer extends HTMLElement implements AuralisPlayerElement {
    static get observedAttributes(): readonly string[] {
      return AURALIS_PLAYER_ATTRIBUTES
    }

    private instance: Player | undefined
    private readonly button: HTMLButtonElement
    private readonly nowLine: HTMLSpanElement
    private readonly status: HTMLSpanElement
    private timer: ReturnType<typeof setInterval> | undefined
    private lastKey = ''

    constructor() {
      super()
      const root = this.attachShadow({ mode: 'open' })
      root.innerHTML = `<style>${STYLE}</style><button type="button" part="button" aria-label="Play">▶</button><span class="now" part="now">Auralis</span><span class="sr" role="status" aria-live="polite"></span>`
      this.button = root.querySelector('button')!
      this.nowLine = root.querySelector('.now')!
      this.status = root.querySelector('[role=status]')!
      this.button.addEventListener('click', () => {
        if (this.isPlaying) this.stop()
        else void this.play().catch(() => undefined)
      })
    }

    get player(): Player | undefined {
      return this.instance
    }

    private get isPlaying(): boolean {
      const s = this.instance?.state
      return s === 'starting' || s === 'buffering' || s === 'playing'
    }

    attributeChangedCallback(): void {
      if (!this.instance) return
      const wasPlaying = this.isPlaying
      this.instance.stop()
      this.instance = undefined
      if (wasPlaying) void this.play().catch(() => undefined)
    }

    disconnectedCallback(): void {
      this.stop()
    }

    private build(): Player {
      const transport = this.getAttribute('transport') === 'ws' ? 'ws' : 'sse'
      // `output="audio"` plays a server-rendered (audio-mode) stream; `midi` drives Web MIDI; default Tone.js.
      const attr = this.getAttribute('output')
      const output = attr === 'midi' || attr === 'audio' ? attr : 'tone'
      const p = makePlayer({ url: streamUrlFromAttributes(this.getAttribute('src'), this.getAttribute('station'), this.getAttribute('session')), transport, output })
      p.on('state', ({ state }) => this.render(state))
      p.on('error', (error) => this.dispatchEvent(new CustomEvent('auralis-error', { detail: error, bubbles: true, composed: true })))
      return p
    }

    async play(): Promise<void> {
      let p: Player
      try {
        p = this.instance ??= this.build()
      } catch (err) {
        this.announce(String((err as Error).message))
        throw err
      }
      const started = p.play() // synchronous part creates/resumes the AudioContext inside the gesture
      clearInterval(this.timer)
      this.timer = setInterval(() => this.renderNow(), 250)
      this.render(p.state)
      try {
        await started
      } catch (err) {
        this.announce(`Cannot play: ${(err as Error).message}`)
        throw err
      }
    }

    stop(): void {
      clearInterval(this.timer)
      this.timer = undefined
      this.instance?.stop()
    }

    private announce(text: string): void {
      this.status.textContent = text
    }

    private render(state: string): void {
      const playing = state === 'starting' || state === 'buffering' || state === 'playing'
      this.button.textContent = playing ? '❚❚' : '▶'
      this.button.setAttribute('aria-label', playing ? 'Pause' : 'Play')
      this.button.setAttribute('aria-pressed', String(playing))
      this.announce(state === 'buffering' ? 'Buffering' : state === 'playing' ? 'Playing' : state === 'stopped' ? 'Stopped' : state === 'error' ? 'Error' : '')
      this.dispatchEvent(new CustomEvent('auralis-state', { detail: state, bubbles: true, composed: true }))
    }

    private renderNow(): void {
      const now = this.instance?.nowPlaying()
      if (!now) return
      const s = now.section
      this.nowLine.textContent = `${s.style} · ${s.key} ${s.mode}${now.chord ? ` · ${now.chord.symbol}` : ''} · ${Math.round(s.bpm)} bpm`
      const key = `${s.style} ${s.key} ${s.mode}`
      if (key !== this.lastKey) {
        this.lastKey = key
        this.announce(`Now playing ${s.style} in ${s.key} ${s.mode}`)
      }
    }
  }

  customElements.define(tagName, AuralisPlayer)
  return AuralisPlayer
}
