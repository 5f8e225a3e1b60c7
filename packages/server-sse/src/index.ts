/**
 * @packageDocumentation
 * Server-Sent Events and WebSocket fan-out hub for Express and node:http: rooms, replay, resume,
 * heartbeats, slow-client protection. Generic: payloads are any JSON (or pre-serialised text).
 */
export { createHub } from './hub.js'
export {
  type CloseOptions,
  type DisconnectReason,
  type Hub,
  type HubClient,
  type HubOptions,
  type HubStats,
  type RoomOf,
  type WebSocketEndpoint,
  type WebSocketOptions,
} from './types.js'
export {
  MemoryReplayStore,
  type MemoryStoreOptions,
  type ReplayEntry,
  type ReplayListener,
  type ReplayResult,
  type ReplayStore,
} from './store.js'
export { assertEventId, assertEventType, encodeSse, HEARTBEAT, type SseFields } from './encode.js'
