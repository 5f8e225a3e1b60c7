import { defineConfig } from 'vitest/config'

// Node unit tests run in parallel; the headless-Chromium files run one after the other, so two browsers
// never compete for the CPU while a file measures timing (onsets, sync) on a 2-core machine.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/analysis.test.ts'] } },
      { test: { name: 'browser', include: ['test/*browser*.test.ts'], fileParallelism: false } },
    ],
  },
})
