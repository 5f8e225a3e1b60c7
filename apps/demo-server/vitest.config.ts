import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    // Browser tests measure real-time audio (onsets, offsets, underruns): one test file at a time, so two Chromiums
    // and a server under test never compete for the machine's two cores.
    fileParallelism: false,
    hookTimeout: 60_000,
  },
})
