import { describe, expect, it } from 'vitest'
import { compareStreamIds, isStreamId, streamIdTime } from './ids.js'

describe('stream ids', () => {
  it('accepts complete ids and refuses garbage', () => {
    for (const id of ['0-0', '1-0', '1700000000000-0', '1700000000000-18446744073709551615']) expect(isStreamId(id)).toBe(true)
    for (const id of ['', '1', '-1', '1-', '01-0', '1-01', 'a-b', '1-2-3', ' 1-0', '1-0 ', '1.5-0', '123456789012345678901-0'])
      expect(isStreamId(id)).toBe(false)
  })

  it('orders by time then sequence, exactly beyond 2^53', () => {
    const sorted = ['0-0', '0-1', '1-0', '9-5', '10-0', '10-1', '1700000000000-0', '1700000000000-9', '1700000000000-10', '1700000000001-0', '1700000000001-9007199254740993', '1700000000001-9007199254740994']
    for (let i = 0; i < sorted.length; i++) {
      for (let j = 0; j < sorted.length; j++) expect(Math.sign(compareStreamIds(sorted[i], sorted[j]))).toBe(Math.sign(i - j))
    }
  })

  it('reads the millisecond part', () => {
    expect(streamIdTime('1700000000123-4')).toBe(1700000000123)
  })
})
