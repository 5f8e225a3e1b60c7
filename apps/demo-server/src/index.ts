/** Programmatic entry of the demo server (tests and embedding). `main.ts` is the command-line entry. */
export { startServer, type RunningServer, type StartOptions } from './server.js'
export { loadConfig, ConfigError, type ServerConfig } from './config.js'
export { findWebRoot } from './web-root.js'
