/** Server configuration, read from the environment at the edge and validated once. */

/** Thrown when an environment variable holds a value the server cannot use. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
  }
}

/** Everything the demo server needs to start. */
export interface ServerConfig {
  /** TCP port (0 = any free port). */
  port: number
  /** Interface to bind. */
  host: string
  /** Folder of the built web app, or null to serve none. */
  webRoot: string | null
  /** Origins allowed by CORS (`*` = any). */
  corsOrigins: '*' | string[]
  /** pino log level. */
  logLevel: string
  /** Redis for scale-out (`REDIS_URL`), or null: one instance, everything in memory. */
  redisUrl?: string | null
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Reads and validates the configuration from `env` (PORT, HOST, WEB_ROOT, CORS_ORIGINS, LOG_LEVEL, REDIS_URL). */
export function loadConfig(env: Record<string, string | undefined>, defaults: { webRoot: string | null }): ServerConfig {
  const portText = env.PORT ?? '8080'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) throw new ConfigError('PORT', `expected an integer 0–65535, got "${portText}"`)
  const host = env.HOST ?? '127.0.0.1'
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError('HOST', `expected a host name or address, got "${host}"`)
  const logLevel = env.LOG_LEVEL ?? 'info'
  if (!LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `expected one of ${LEVELS.join(', ')}`)
  const cors = env.CORS_ORIGINS ?? '*'
  const corsOrigins = cors === '*' ? '*' : cors.split(',').map((s) => s.trim()).filter(Boolean)
  const redisUrl = env.REDIS_URL ? env.REDIS_URL.trim() : null
  if (redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) throw new ConfigError('REDIS_URL', 'expected redis://host:port[/db] or rediss://…')
  return { port, host, webRoot: env.WEB_ROOT ?? defaults.webRoot, corsOrigins, logLevel, redisUrl }
}
