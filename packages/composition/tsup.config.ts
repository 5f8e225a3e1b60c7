import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tonal is bundled (tree-shaken ESM): its published dependency graph currently resolves
  // @tonaljs/pitch-distance@5.0.6, whose `main` points at a file it does not ship, so a plain
  // `import 'tonal'` fails in Node. Bundling its ESM builds makes the package load everywhere.
  noExternal: ['tonal', /^@tonaljs\//],
  esbuildOptions(options) {
    options.mainFields = ['module', 'main']
  },
})
