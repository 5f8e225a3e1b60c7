import type { ReplayEntry } from '@auralis/server-sse'
import { streamIdTime } from './ids.js'

/** A stream entry as ioredis returns it: `[id, [field, value, field, value, …]]`. */
export type RawEntry = [id: string, fields: string[]]

/** Field names of an entry in the stream. */
export const TYPE_FIELD = 'type'
/** Field holding the serialised payload. */
export const DATA_FIELD = 'data'

/**
 * Turns a raw stream entry into a replay entry. Its `time` is the id's millisecond part: the Redis server's
 * clock, the same for every instance. Fields other than `type` and `data` are ignored.
 */
export function toReplayEntry([id, fields]: RawEntry): ReplayEntry {
  let type = ''
  let data = ''
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === TYPE_FIELD) type = fields[i + 1]
    else if (fields[i] === DATA_FIELD) data = fields[i + 1]
  }
  return { id, type, data, time: streamIdTime(id) }
}
