// What Dyte's media servers do: a recording fails; an RTMP encoder connects to (or leaves) an
// independent livestream.
import type { MockHandlers } from '../types.js'
import { ok } from '../envelope.js'
import { recordingView } from '../recordings.js'
import { livestreamView } from '../livestreams.js'

export const media = {
  async failRecording (req) {
    return ok(recordingView(req.server.dyte.sim.recordings.fail(req.orgId, req.params.recordingId), req))
  },

  async ingestLivestream (req) {
    return ok(livestreamView(req.server.dyte.sim.livestreams.ingest(req.orgId, req.params.livestreamId, req.body.live)))
  },
} satisfies Partial<MockHandlers>
