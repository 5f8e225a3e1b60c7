import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Finds the built `@auralis/web` app (its `dist/` folder), or null when it is not installed or not built. */
export function findWebRoot(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@auralis/web/package.json')
    const dist = join(dirname(pkg), 'dist')
    return existsSync(join(dist, 'index.html')) ? dist : null
  } catch {
    return null
  }
}
