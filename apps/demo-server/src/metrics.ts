import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** The server's Prometheus metrics, on a registry of its own (several servers may run in one process). */
export interface Metrics {
  registry: Registry
  listeners: Gauge<'stream'>
  rooms: Gauge
  sessions: Gauge
  publishLead: Histogram<'kind'>
  compositionSeconds: Histogram<'style'>
  sectionsPublished: Counter<'kind'>
  lateSections: Counter<'kind'>
  fallbackSections: Counter<'kind'>
  droppedClients: Counter
  queueBytes: Gauge
  sessionsCreated: Counter
  sessionsReclaimed: Counter
  rateLimited: Counter
  audioChunks: Counter<'codec'>
  audioBytes: Counter<'codec'>
  audioLateChunks: Counter<'codec'>
  audioRenderLoad: Gauge<'stream'>
}

/** Creates the metrics on a fresh registry (with Node process metrics). */
export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const r = { registers: [registry] }
  return {
    registry,
    listeners: new Gauge({ name: 'auralis_listeners', help: 'Connected listeners per stream', labelNames: ['stream'], ...r }),
    rooms: new Gauge({ name: 'auralis_rooms', help: 'Streams with a room in the hub', ...r }),
    sessions: new Gauge({ name: 'auralis_sessions', help: 'Private sessions alive', ...r }),
    publishLead: new Histogram({ name: 'auralis_publish_lead_seconds', help: 'Seconds between publishing a section and its start', labelNames: ['kind'], buckets: [0, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16], ...r }),
    compositionSeconds: new Histogram({ name: 'auralis_composition_seconds', help: 'Time to compose one section', labelNames: ['style'], buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 5], ...r }),
    sectionsPublished: new Counter({ name: 'auralis_sections_published_total', help: 'Sections published', labelNames: ['kind'], ...r }),
    lateSections: new Counter({ name: 'auralis_late_sections_total', help: 'Sections published with less than the minimum lead', labelNames: ['kind'], ...r }),
    fallbackSections: new Counter({ name: 'auralis_fallback_sections_total', help: 'Fallback sections published after a failed or overdue composition', labelNames: ['kind'], ...r }),
    droppedClients: new Counter({ name: 'auralis_dropped_slow_clients_total', help: 'Listeners disconnected for not keeping up', ...r }),
    queueBytes: new Gauge({ name: 'auralis_queue_bytes', help: 'Bytes queued for listeners, all streams', ...r }),
    sessionsCreated: new Counter({ name: 'auralis_sessions_created_total', help: 'Private sessions created', ...r }),
    sessionsReclaimed: new Counter({ name: 'auralis_sessions_reclaimed_total', help: 'Idle private sessions reclaimed', ...r }),
    rateLimited: new Counter({ name: 'auralis_rate_limited_total', help: 'Requests refused by the rate limiter', ...r }),
    audioChunks: new Counter({ name: 'auralis_audio_chunks_total', help: 'Audio chunks published (audio mode)', labelNames: ['codec'], ...r }),
    audioBytes: new Counter({ name: 'auralis_audio_bytes_total', help: 'Encoded audio bytes published, before base64', labelNames: ['codec'], ...r }),
    audioLateChunks: new Counter({ name: 'auralis_audio_late_chunks_total', help: 'Audio chunks published after their start: rendering behind real time', labelNames: ['codec'], ...r }),
    audioRenderLoad: new Gauge({ name: 'auralis_audio_render_load', help: 'Render worker busy time / wall time (1 = one core)', labelNames: ['stream'], ...r }),
  }
}
