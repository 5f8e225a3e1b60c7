import { defineConfig } from 'tsup'

export default defineConfig([
  {
    // Library entry: tone and @auralis/protocol stay external (dependencies).
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
  },
  {
    // <auralis-player> embed: one self-contained, minified ES module with Tone.js and the protocol inside.
    entry: { embed: 'src/embed.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: false,
    clean: false,
    minify: true,
    splitting: false,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/.*/],
  },
])
