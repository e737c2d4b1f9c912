// Lifecycles as data: which status may follow which. Only the simulator moves them.
import type { RecordingStatus } from '../store/recordings.js'

export const recordingEdges: Record<RecordingStatus, RecordingStatus[]> = {
  INVOKED: ['RECORDING', 'UPLOADING', 'ERRORED'],
  RECORDING: ['PAUSED', 'UPLOADING', 'ERRORED'],
  PAUSED: ['RECORDING', 'UPLOADING', 'ERRORED'],
  UPLOADING: ['UPLOADED', 'ERRORED'],
  UPLOADED: [],
  ERRORED: [],
}

/** PUT /recordings/{id} actions and the status each one leads to. */
export const recordingActions = {
  pause: { to: 'PAUSED', from: ['RECORDING'] },
  resume: { to: 'RECORDING', from: ['PAUSED'] },
  stop: { to: 'UPLOADING', from: ['INVOKED', 'RECORDING', 'PAUSED'] },
} as const satisfies Record<string, { to: RecordingStatus, from: RecordingStatus[] }>
