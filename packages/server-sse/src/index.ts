/**
 * @packageDocumentation
 * Server-Sent Events and WebSocket fan-out hub for Express and node:http: rooms, replay, resume, heartbeats, slow-client protection.
 */
export {}
