import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Audio renders are CPU-bound; shared CI machines can be slow.
    testTimeout: 120_000,
  },
})
