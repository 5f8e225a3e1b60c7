import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { createRedisReplayStore, type RedisReplayStore } from '@auralis/server-sse-redis'
import type { HealthCheck } from '../app.js'
import type { StreamRegistry } from '../stream/registry.js'
import { RedisCoordinator } from './coordinator.js'
import { IntervalLog } from './interval-log.js'
import { clusterKeys } from './keys.js'

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** `redis://host:port/db`. */
  url: string
  logger: Logger
  /** Replay bounds per room. */
  maxEntries: number
  maxAgeMs: number
  /** Session record lifetime without listeners, ms. */
  sessionIdleMs: number
  /** Key prefix of the deployment (default `auralis:`). */
  prefix?: string
  /** Lease time to live and renewal period, ms (defaults 1,200 and 300). */
  lockTtlMs?: number
  tickMs?: number
  /** Outage log interval, ms (default 10,000). */
  logIntervalMs?: number
}

/** Scale-out parts of one instance: the Redis replay store, the coordinator and a health check. */
export interface Cluster {
  /** This instance's id (its lease token). */
  instanceId: string
  store: RedisReplayStore
  coordinator: RedisCoordinator
  /** `/health` check: ready while both Redis connections are up. */
  check: HealthCheck
  /** Connects the registry and the hub's listener count (before stations start). */
  attach(registry: StreamRegistry, listeners: (room: string) => number): void
  /** Releases leases and closes the connections. */
  close(): Promise<void>
}

/**
 * Connects an instance to Redis for scale-out. It does not wait for Redis: an instance started while Redis is
 * down serves what it can, reports unready, and joins once Redis answers.
 */
export function startCluster(options: ClusterOptions): Cluster {
  const keys = clusterKeys(options.prefix)
  // Failures while the first connection is still being made (up to 3 s) are not an outage.
  const outage = new IntervalLog(options.logger, 'redis', options.logIntervalMs ?? 10_000, Date.now, 3000)
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  const fast = { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: (n: number) => Math.min(50 * n, 500) }
  const redis = new Redis(options.url, { ...fast, connectionName: 'auralis:coordinator' })
  const subscriber = new Redis(options.url, { retryStrategy: fast.retryStrategy, connectionName: 'auralis:control' })
  for (const c of [redis, subscriber]) c.on('error', (err) => outage.failure(err))
  redis.once('ready', () => outage.connected())
  const store = createRedisReplayStore({
    url: options.url, keyPrefix: keys.stream, maxEntries: options.maxEntries, maxAgeMs: options.maxAgeMs,
    blockMs: 2000, connectionName: 'auralis:replay',
    onError: (err) => outage.failure(err),
  })
  const coordinator = new RedisCoordinator({
    redis, subscriber, store, keys, logger: options.logger, outage, instanceId,
    lockTtlMs: options.lockTtlMs, tickMs: options.tickMs, sessionIdleMs: options.sessionIdleMs,
  })
  return {
    instanceId, store, coordinator,
    check: { name: 'redis', ready: () => store.isReady() && redis.status === 'ready' },
    attach: (registry, listeners) => coordinator.attach(registry, listeners),
    close: async () => {
      await coordinator.close()
      await store.close()
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}
