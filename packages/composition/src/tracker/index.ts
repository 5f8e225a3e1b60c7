/**
 * Tracker text, compatible with Infinite Jazz: {@link parseTracker} reads it into note events,
 * {@link toTracker} writes a section's events as text.
 */
export { parseTracker, compareEvents, type ParseTrackerOptions, type ParsedTracker } from './parse.js'
export { toTracker, type ToTrackerOptions, type TrackerSection } from './render.js'
export { TrackerError, type TrackerErrorCode, type TrackerStepCount, type TrackerWarning, type TrackerWarningCode } from './errors.js'
export { STEPS_PER_BEAT, stepTime, timeToStep, swingBeats, unswingBeats } from './swing.js'
export {
  TRACKER_HEADERS,
  QUARTET_HEADERS,
  HEADER_INSTRUMENT,
  DRUM_MAP,
  DRUM_ALIASES,
  DRUM_NAMES,
  drumForNote,
  type TrackerHeader,
} from './instruments.js'
