// The load client's stream reader: finds each message's `{"s":SEQ,"t":TIME,` marker (seq and publish time,
// first in the payload) in an SSE byte stream, without decoding it to text. Only complete events (up to the
// last blank line) are scanned; the rest waits for the next chunk, so a marker cut by a read is never lost.
const MARK = Buffer.from('{"s":')
const EVENT_END = Buffer.from('\n\n')

/** Reads an ASCII number at `i`; returns [value, indexAfter]. */
function number(buf, i) {
  let j = i
  while ((buf[j] >= 48 && buf[j] <= 57) || buf[j] === 46) j++
  return [Number(buf.latin1Slice(i, j)), j]
}

/** Returns a chunk handler that calls `onMessage(seq, publishTime)` for every message, in stream order. */
export function createLagReader(onMessage) {
  let rest = null
  return (chunk) => {
    const buf = rest === null ? chunk : Buffer.concat([rest, chunk])
    const end = buf.lastIndexOf(EVENT_END)
    if (end < 0) {
      rest = buf
      return
    }
    for (let i = buf.indexOf(MARK); i >= 0 && i < end; i = buf.indexOf(MARK, i + MARK.length)) {
      const [seq, after] = number(buf, i + MARK.length)
      const [time] = number(buf, after + 5) // ,"t":
      onMessage(seq, time)
    }
    rest = end + 2 < buf.length ? buf.subarray(end + 2) : null
  }
}
