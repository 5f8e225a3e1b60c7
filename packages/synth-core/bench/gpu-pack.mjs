// Packs what gpu-large.mjs needs on a GPU machine that has no Node and no registry into bench/.gpu-pack/
// (git-ignored: add `packages/synth-core/bench/.gpu-pack/` to .git/info/exclude): the library bundled with its
// @auralis/protocol dependency (synth-core.mjs), Dawn's dawn.node from the `webgpu` package, and this Node
// binary, as one .tar.xz (≈ 30 MB). Run `pnpm --filter @auralis/synth-core build` first.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '.gpu-pack')
mkdirSync(join(out, 'bin'), { recursive: true })
await build({
  entryPoints: [join(here, '../dist/index.js')], bundle: true, format: 'esm', platform: 'node', target: 'node20',
  outfile: join(out, 'synth-core.mjs'), logLevel: 'warning',
})
const webgpu = dirname(createRequire(import.meta.url).resolve('webgpu'))
copyFileSync(join(webgpu, 'dist', `${process.platform}-${process.arch}`, 'dawn.node'), join(out, 'dawn.node'))
copyFileSync(process.execPath, join(out, 'bin', 'node'))
execFileSync('tar', ['-cJf', join(here, '.gpu-pack.tar.xz'), '-C', out, '.'], { stdio: 'inherit' })
console.log(`wrote ${join(here, '.gpu-pack.tar.xz')} (${(statSync(join(here, '.gpu-pack.tar.xz')).size / 1e6).toFixed(1)} MB): synth-core.mjs, dawn.node, bin/node`)
