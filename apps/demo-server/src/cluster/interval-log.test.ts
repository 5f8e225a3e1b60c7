import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support.js'
import { IntervalLog } from './interval-log.js'

describe('IntervalLog', () => {
  it('logs an outage once per interval however many failures, then the recovery once', () => {
    const { logger, lines } = memoryLogger()
    let t = 0
    const log = new IntervalLog(logger, 'redis', 10_000, () => t)
    for (; t < 25_000; t += 100) log.failure(new Error('connect ECONNREFUSED'))
    const warned = lines().map((l) => JSON.parse(l)).filter((l) => l.msg === 'redis unavailable')
    expect(warned).toHaveLength(3) // t = 0, 10 s, 20 s
    expect(warned[1].failures).toBe(100)
    expect(log.failing).toBe(true)
    log.recovered()
    log.recovered()
    expect(lines().filter((l) => l.includes('redis reachable again'))).toHaveLength(1)
    expect(log.failing).toBe(false)
  })

  it('stays quiet during the start-up grace unless connected, and a Redis reply error is no outage', () => {
    const { logger, lines } = memoryLogger()
    let t = 0
    const log = new IntervalLog(logger, 'redis', 10_000, () => t, 3000)
    log.failure(new Error('not yet'))
    expect(lines()).toHaveLength(0)
    log.connected()
    const reply = Object.assign(new Error('ERR wrong type'), { name: 'ReplyError' })
    log.failure(reply)
    expect(lines()).toHaveLength(1)
    expect(log.failing).toBe(false)
  })
})
