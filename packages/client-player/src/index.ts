/**
 * @packageDocumentation
 * Browser player for Auralis streams: SSE/WebSocket transport with resume, NTP-style clock sync, a
 * lookahead scheduler on the AudioContext clock, Tone.js and Web MIDI outputs, a streamed-audio output (WebCodecs
 * Opus → ring buffer → AudioWorklet with an adaptive jitter buffer), and `<auralis-player>`.
 */
export { createPlayer, Player } from './player.js'
export type { PlayerOptions, PlayerState, PlayerEvents, PlayerStats, SectionEvent, StateEvent, ControlsEvent } from './player.js'
export type { Output, OutputStartContext, ScheduledNote } from './output.js'
export { PlayerError } from './errors.js'
export type { PlayerErrorCode } from './errors.js'
export { ToneOutput, createToneOutput } from './tone-output.js'
export type { ToneOutputOptions } from './tone-output.js'
export { midiToHz } from './tone-patches.js'
export { MidiOutput, createMidiOutput, openMidiPort } from './midi-output.js'
export type { MidiOutputLike, MidiAccessLike, MidiOutputOptions } from './midi-output.js'
export { programChange, noteOn, noteOff, controlChange, allNotesOff, midiKeyFor, programChanges, noteMessages } from './midi-messages.js'
export type { TimedMidiMessage } from './midi-messages.js'
export { defineAuralisPlayer, AURALIS_PLAYER_ATTRIBUTES } from './element.js'
export type { AuralisPlayerElement } from './element.js'
export { estimateClock, mergeOffset, sampleOffset, median } from './clock-math.js'
export type { ClockSample, ClockEstimate, EstimateOptions } from './clock-math.js'
export { ClockSync } from './clock-sync.js'
export type { ClockSyncOptions } from './clock-sync.js'
export {
  noteServerMs, serverToPerformanceMs, performanceToServerMs, updateAudioClockMap, performanceToContextS, serverToContextS,
  bufferedAheadS, firstAtOrAfter,
} from './schedule-math.js'
export type { AudioClockMap, OutputTimestamp } from './schedule-math.js'
export { backoffBound, backoffDelay, DEFAULT_BACKOFF } from './backoff.js'
export type { BackoffOptions } from './backoff.js'
export { NoteQueue } from './note-queue.js'
export type { QueuedNote, AddResult } from './note-queue.js'
export { nowPlayingAt, chordOffsetS } from './now-playing.js'
export type { NowPlaying } from './now-playing.js'
export { resolveStreamUrls, withQuery, streamUrlFromAttributes } from './urls.js'
export type { StreamUrls } from './urls.js'
export type { ConnectionState, Transport, TransportHandlers, TransportOptions } from './transport.js'
export { SseTransport } from './transport-sse.js'
export { WsTransport } from './transport-ws.js'
export { startTicker } from './timer.js'
export type { Ticker } from './timer.js'
export { Emitter } from './emitter.js'
export type { Listener } from './emitter.js'
export { AudioOutput, createAudioOutput, isStreamAudioOutput } from './audio-output.js'
export type { AudioOutputOptions, AudioOutputStats, StreamAudioOutput } from './audio-output.js'
export { OpusChunkDecoder, decodePcm16, chunkStartFrame, hasAudioDecoder, OPUS_ENCODER_DELAY_48K } from './audio-decoder.js'
export type { DecodedSink, OpusDecoderOptions } from './audio-decoder.js'
export { StreamWriter, fadeIn } from './stream-writer.js'
export type { StreamWriterOptions, StreamWriterStats } from './stream-writer.js'
export { PlayoutEngine } from './playout-engine.js'
export type { PlayoutEngineOptions } from './playout-engine.js'
export {
  DEFAULT_BUFFER_MS, DEFAULT_MAX_RATE_DEVIATION, resolveJitterOptions, rateStep, wantedDelayFrames, startFrame, WindowMax,
} from './jitter-buffer.js'
export type { JitterOptions, ResolvedJitterOptions, RateStep } from './jitter-buffer.js'
export { STAT, STAT_WORDS, PLAYOUT_STATE, createStatsBlock, readStat, addStat, setStat } from './playout-stats.js'
export { PLAYOUT_WORKLET_SOURCE } from './worklet-source.js'
