import type { Redis } from 'ioredis'

/** Extends the lock's time to live only while `token` still holds it. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`
/** Deletes the lock only while `token` still holds it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`

/**
 * A lease on a Redis key (`SET key token NX PX ttl`), renewed by a compare-and-pexpire script and released by a
 * compare-and-delete one, so an instance never extends or frees a lease another instance holds.
 */
export class RedisLease {
  constructor(
    private readonly redis: Redis,
    /** The lock key. */
    readonly key: string,
    /** This holder's unique token. */
    readonly token: string,
    /** Time to live of the lease, ms. */
    readonly ttlMs: number,
  ) {}

  /** Takes the lease when nobody holds it; true when taken. */
  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK'
  }

  /** Extends the lease; false when it is no longer ours (expired, taken by another). */
  async renew(): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.key, this.token, this.ttlMs)) === 1
  }

  /** Frees the lease if it is still ours. */
  async release(): Promise<boolean> {
    return Number(await this.redis.eval(RELEASE, 1, this.key, this.token)) === 1
  }

  /** The token holding the lease now, if any. */
  async holder(): Promise<string | null> {
    return this.redis.get(this.key)
  }
}
