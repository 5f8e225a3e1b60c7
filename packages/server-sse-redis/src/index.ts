/**
 * @packageDocumentation
 * Redis Streams replay store for `@auralis/server-sse`: ids are Redis stream ids (global per room), entries
 * fan out to every instance through a blocking `XREAD`, and `Last-Event-ID` resumes on any instance.
 */
export { createRedisReplayStore, RedisReplayStore, type RedisReplayStoreOptions, type RedisStoreStatus } from './store.js'
export { RedisStoreError, type RedisStoreErrorCode } from './errors.js'
export { compareStreamIds, isStreamId, streamIdTime } from './ids.js'
