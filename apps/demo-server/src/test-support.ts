import { pino, type Logger } from 'pino'
import { Writable } from 'node:stream'
import { loadConfig, type ServerConfig } from './config.js'

/** A pino logger writing JSON lines into memory, so tests can assert on (and search) every log line. */
export function memoryLogger(): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = []
  const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb() } })
  return { logger: pino({ level: 'debug' }, stream), lines: () => chunks.join('').split('\n').filter(Boolean) }
}

/** A test configuration: port 0 on 127.0.0.1, no web root unless given. */
export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...loadConfig({ PORT: '0' }, { webRoot: null }), ...overrides }
}
