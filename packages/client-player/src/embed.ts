/**
 * Self-contained embed bundle (`@auralis/client-player/embed`, `dist/embed.js`): importing it defines
 * `<auralis-player>`. Tone.js and the protocol are bundled in.
 *
 * ```html
 * <script type="module" src="https://your-server/embed.js"></script>
 * <auralis-player src="https://your-server" station="ambient"></auralis-player>
 * ```
 */
import { defineAuralisPlayer } from './element.js'

/** The `<auralis-player>` element class (defined as a side effect of importing this module). */
export const AuralisPlayer: CustomElementConstructor = defineAuralisPlayer()

export { createPlayer } from './player.js'
