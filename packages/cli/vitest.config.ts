import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The bin tests spawn dist/bin.js: build it first when the sources are newer (turbo builds before testing anyway).
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 30_000,
  },
})
