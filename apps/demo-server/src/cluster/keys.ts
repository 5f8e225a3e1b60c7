/** Redis key names shared by every instance of one deployment. */
export interface ClusterKeys {
  /** Prefix of the replay streams (the store's `keyPrefix`). */
  stream: string
  /** Conductor lease of a room. */
  lock(room: string): string
  /** State of a room's conductor after its last published section (epoch, snapshot, section, controls). */
  state(room: string): string
  /** Shared record of a private session. */
  session(id: string): string
  /** Pub/sub channel of control requests, replies and session ends. */
  channel: string
}

/** Key names under `prefix` (default `auralis:`). */
export function clusterKeys(prefix = 'auralis:'): ClusterKeys {
  return {
    stream: `${prefix}sse:`,
    lock: (room) => `${prefix}lock:${room}`,
    state: (room) => `${prefix}state:${room}`,
    session: (id) => `${prefix}session:${id}`,
    channel: `${prefix}control`,
  }
}
