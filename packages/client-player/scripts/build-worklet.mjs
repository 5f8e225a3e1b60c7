// Bundles src/worklet/playout-processor.ts (with the ring buffer and the playout engine) into one minified
// module and writes it as a string to src/worklet-source.ts, which the audio output loads with
// audioWorklet.addModule (a Blob URL). Run by `pnpm build`; a test checks the file is up to date.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The bundled processor module, as text. */
export async function bundleWorklet() {
  const r = await build({
    entryPoints: [root + 'src/worklet/playout-processor.ts'], bundle: true, format: 'esm', platform: 'browser',
    target: 'es2022', minify: true, write: false, logLevel: 'silent', legalComments: 'none',
  })
  return r.outputFiles[0].text
}

/** The generated TypeScript file's text. */
export function sourceFile(js) {
  return `/**\n * The playout AudioWorklet module, bundled from src/worklet/ by scripts/build-worklet.mjs (generated: do not edit).\n */\n\n` +
    `/** Source of the \`auralis-playout\` AudioWorklet module (load it with \`audioWorklet.addModule\` from a Blob URL). */\n` +
    `export const PLAYOUT_WORKLET_SOURCE: string = ${JSON.stringify(js)}\n`
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = sourceFile(await bundleWorklet())
  writeFileSync(root + 'src/worklet-source.ts', text)
  console.log(`src/worklet-source.ts: ${text.length} bytes`)
}
