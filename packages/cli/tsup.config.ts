import { defineConfig } from 'tsup'

// Two entries: the library API (with types) and the executable. esbuild keeps `src/bin.ts`'s
// `#!/usr/bin/env node` line at the top of dist/bin.js, and tsup marks that file executable.
export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
})
