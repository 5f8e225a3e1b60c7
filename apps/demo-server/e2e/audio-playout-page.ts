/**
 * Page side of the streamed-audio e2e tests. {@link playoutPageInit} goes to `page.addInitScript` (after
 * audio-tap.ts's `tapInit`); the page itself loads `@auralis/client-player/embed` (self-contained) and puts
 * `createPlayer` on `window`. It defines `window.A`: create a player with `output: 'audio'`, play it from
 * the `#play` button's click, record the sections received, and read back what the output played (through
 * the tap) on the stream's own clock.
 */
import type { Player, PlayerOptions } from '@auralis/client-player'
import type { Section } from '@auralis/protocol'

/** The test page: a play button and the embed bundle's `createPlayer` on `window`. */
export const PLAYOUT_PAGE = `<!doctype html><meta charset="utf-8"><title>audio output e2e</title><button id="play">play</button>
<script type="module">import { createPlayer } from '/embed.js'; window.createPlayer = createPlayer</script>`

/** Page-side init (see the module comment). Self-contained: it is serialised into the page. */
export function playoutPageInit(): void {
  interface TapApi {
    hookPlayer(p: unknown): Promise<void>
    state: { blocks: { frame: number; data: Float32Array }[] }
    firstSoundWall(threshold: number, after?: number): number | undefined
  }
  const w = window as unknown as { __tap: TapApi; createPlayer: (o: PlayerOptions) => Player; A: unknown }
  const state = { player: undefined as Player | undefined, sections: [] as Section[], errors: [] as string[], clickAt: 0, epoch: 0, playing: false }
  const play = async (): Promise<void> => {
    state.clickAt = performance.timeOrigin + performance.now()
    await state.player!.play()
    await w.__tap.hookPlayer(state.player)
    state.playing = true
  }
  const api = {
    state,
    create(options: PlayerOptions): void {
      const p = w.createPlayer(options)
      state.player = p
      p.on('section', (s) => state.sections.push(s.section))
      p.on('error', (e) => state.errors.push(`${e.code}: ${e.message}`))
      p.on('hello', (h) => (state.epoch = h.epoch))
    },
    /** What the output played for stream times [fromS, toS) (s since the epoch), placed by the player's clock mapping: base64 Float32, NaN where nothing was recorded. */
    played(fromS: number, toS: number): string {
      const p = state.player!
      const sr = p.audioContext!.sampleRate
      const f0 = Math.round(p.serverToContextTime(state.epoch + fromS * 1000)! * sr)
      const n = Math.round((toS - fromS) * sr)
      const out = new Float32Array(n).fill(NaN)
      for (const b of w.__tap.state.blocks) {
        const s = Math.max(f0, b.frame)
        const e = Math.min(f0 + n, b.frame + b.data.length)
        if (e > s) out.set(b.data.subarray(s - b.frame, e - b.frame), s - f0)
      }
      const bytes = new Uint8Array(out.buffer)
      let bin = ''
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
      return btoa(bin)
    },
    /** Stream time (s since the epoch) by the player's clock. */
    streamNow: (): number => (state.player!.serverNow()! - state.epoch) / 1000,
    /** Stream time (s) of a wall time (ms), by the player's clock. */
    streamAtWall: (wall: number): number => (wall + (state.player!.serverNow()! - performance.timeOrigin - performance.now()) - state.epoch) / 1000,
    /** Wall time (ms) of the first 5 ms window louder than `threshold` recorded after the click. */
    firstSoundWall: (threshold: number): number | undefined => w.__tap.firstSoundWall(threshold, state.clickAt),
    stats: () => state.player!.stats(),
    isolated: () => crossOriginIsolated,
  }
  w.A = api
  document.addEventListener('click', (e) => {
    if ((e.target as Element | null)?.id === 'play') void play().catch((err) => state.errors.push(`play: ${(err as Error).message}`))
  })
}
