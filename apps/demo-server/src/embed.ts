import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { RequestHandler } from 'express'

/** Finds the `<auralis-player>` bundle (`@auralis/client-player/embed`), or null when it is not built. */
export function findEmbedScript(): string | null {
  try {
    // The export is ESM-only (an `import` condition), so resolve it the way `import` would.
    const file = fileURLToPath(import.meta.resolve('@auralis/client-player/embed'))
    return existsSync(file) ? file : null
  } catch {
    return null
  }
}

/**
 * Serves the embeddable player at `/embed.js` as an ES module any origin may load (CORS `*`, CORP cross-origin),
 * so `<script type="module" src="https://host/embed.js">` works on another site.
 */
export function embedScript(file: string | null): RequestHandler {
  const body = file ? readFileSync(file) : null
  return (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*')
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin')
    if (!body) { res.status(404).type('text/plain').send('embed bundle not built: run `pnpm build`\n'); return }
    res.type('text/javascript').setHeader('Cache-Control', 'public, max-age=300')
    res.send(body)
  }
}
