import { defineConfig } from 'vitest/config'

// tonal 6.4.3's transitive @tonaljs/pitch-distance@5.0.6 declares a `main` (dist/index.js) it does not ship, so
// Node cannot load tonal's CommonJS build. Let Vite process tonal itself and prefer each package's ESM `module`
// (the built dist bundles tonal for the same reason: see tsup.config.ts).
const mainFields = ['module', 'jsnext:main', 'jsnext', 'main']
export default defineConfig({
  resolve: { mainFields },
  ssr: { resolve: { mainFields } } as Record<string, unknown>,
  test: {
    // Property tests over many seeds take seconds; a loaded CI machine must not turn that into a failure.
    testTimeout: 30_000,
    server: { deps: { inline: [/[\\/]tonal[\\/]/, /@tonaljs/] } },
  },
})
