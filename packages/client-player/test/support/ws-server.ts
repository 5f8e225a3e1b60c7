/**
 * A minimal RFC 6455 WebSocket server side for the tests (server → client text frames, close on socket
 * end), on node:http's `upgrade` event — real sockets, no library.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** One accepted WebSocket connection. */
export interface WsConnection {
  /** Sends a text frame. */
  send(text: string): void
  /** Destroys the socket abruptly (as a network drop would). */
  drop(): void
  /** Whether the socket is still open. */
  readonly open: boolean
}

/** Completes the handshake on an `upgrade` request; returns the connection. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex): WsConnection {
  const key = String(req.headers['sec-websocket-key'] ?? '')
  const accept = createHash('sha1').update(key + GUID).digest('base64')
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`)
  let open = true
  socket.on('close', () => (open = false))
  socket.on('error', () => (open = false))
  socket.on('data', (buf: Buffer) => {
    // A client close frame (opcode 8): answer and end.
    if (buf.length > 0 && (buf[0] & 0x0f) === 8 && open) {
      socket.end(Buffer.from([0x88, 0]))
      open = false
    }
  })
  return {
    get open() {
      return open
    },
    send(text: string) {
      if (!open) return
      const payload = Buffer.from(text, 'utf8')
      const n = payload.length
      const head = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.from([0x81, 126, n >> 8, n & 255]) : Buffer.concat([Buffer.from([0x81, 127, 0, 0, 0, 0]), Buffer.from([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255])])
      socket.write(Buffer.concat([head, payload]))
    },
    drop() {
      open = false
      socket.destroy()
    },
  }
}
