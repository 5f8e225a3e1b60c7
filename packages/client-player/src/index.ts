/**
 * @packageDocumentation
 * Browser player for Auralis streams: transport with resume, clock sync, lookahead scheduler, Tone.js / Web MIDI outputs, <auralis-player>.
 */
export {}
