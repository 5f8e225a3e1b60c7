/** Starts one real redis-server for the whole run (fails loudly when it is not installed) and stops it after. */
import type { TestProject } from 'vitest/node'
import { startRedisServer } from '../src/testing.js'

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer()
  project.provide('redisUrl', redis.url)
  return () => redis.stop()
}
