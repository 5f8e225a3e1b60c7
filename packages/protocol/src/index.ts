/**
 * @packageDocumentation
 * `@auralis/protocol` — the one contract between Auralis servers and clients: message schemas (zod),
 * typed parsing with {@link ProtocolError}, SSE and WebSocket encoding, and the shared instrument table.
 */
export * from './instruments.js'
export * from './errors.js'
export * from './music.js'
export * from './messages.js'
export * from './validate.js'
export * from './event-id.js'
export * from './audio.js'
export * from './sse.js'
export * from './ws.js'
