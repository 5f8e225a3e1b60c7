import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino, type Logger } from 'pino'
import { createApp, type HealthCheck } from './app.js'
import type { ServerConfig } from './config.js'

/** A running demo server. */
export interface RunningServer {
  /** The node:http server. */
  server: Server
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string
  /** The logger in use. */
  logger: Logger
  /** Stops accepting connections and ends open ones; resolves when closed. */
  close(): Promise<void>
}

/** Options for {@link startServer}. */
export interface StartOptions {
  /** A logger to use (tests pass one writing to memory); default pino to stdout. */
  logger?: Logger
  /** Extra readiness checks reported by `/health`. */
  checks?: HealthCheck[]
}

/** Starts the demo server on `config.host:config.port` and resolves once it listens. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel })
  const app = createApp({ config, logger, checks: options.checks })
  const server = createServer(app)
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => { server.off('error', reject); resolve() })
  })
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  return {
    server,
    logger,
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
