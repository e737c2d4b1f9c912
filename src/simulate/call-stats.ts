// Call statistics the real API collects from the browser SDK, which dyte-mock cannot see: a small,
// fixed sample, shaped as Dyte (peer_stats, quality_stats) and RealtimeKit (peer_report) show it.
import type { SessionPeer } from '../store/sessions.js'

/** A stable id derived from the peer id, so repeated reads return the same event ids. */
export function derivedId (id: string, n: number) {
  return id.slice(0, -2) + n.toString(16).padStart(2, '0')
}

// A Chrome on Linux on a good connection, sending 32 kbps of audio and 1200 kbps of 720p video.
const sample = {
  browser: { browser: 'Chrome', browser_version: '120.0.0.0', user_agent: 'dyte-mock' },
  device: { os: 'Linux', os_version: 'x86_64', is_mobile: false },
  sdk: { sdk_name: 'dyte-mock', sdk_version: '1.0.0' },
  ip: { city: 'Localhost', country: 'ZZ', ipv4: '127.0.0.1', region: 'Loopback', timezone: 'UTC' },
  connectivity: { turn_connectivity: true, reflexive_connectivity: true, relay_connectivity: true },
}
const wanted = (filters: Set<string>, f: string) => filters.size === 0 || filters.has(f)

/** Dyte's call statistics: `peer_stats` and `quality_stats`, narrowed by `filters`. */
export function callStats (p: SessionPeer, filters: Set<string>) {
  const peer_stats: Record<string, unknown> = {}
  if (wanted(filters, 'device_info')) peer_stats.device_info = { ...sample.browser, ...sample.device, ...sample.sdk }
  if (wanted(filters, 'ip_information')) peer_stats.ip_information = sample.ip
  if (wanted(filters, 'precall_network_information')) {
    peer_stats.precall_network_information = { backend_rtt: 20, effective_networktype: '4g', jitter: 1, rtt: 20, fractional_loss: 0, ...sample.connectivity }
  }
  if (wanted(filters, 'events')) {
    peer_stats.events = [{ timestamp: p.joined_at, type: 'PEER_JOINED' }, ...(p.left_at ? [{ timestamp: p.left_at, type: 'PEER_LEFT' }] : [])]
  }
  const quality_stats = wanted(filters, 'quality_stats')
    ? [{ peer_id: p.id, start: p.joined_at, end: p.left_at ?? p.updated_at, average_quality: 5, audio_packet_loss: 0, video_packet_loss: 0, audio_bandwidth: 32, video_bandwidth: 1200, audio_stats: [], video_stats: [] }]
    : undefined
  return { peer_stats, quality_stats }
}

/** RealtimeKit's `peer_report` ({metadata, quality}) with the same sample, narrowed by `filters`. */
export function peerReport (p: SessionPeer, filters: Set<string>) {
  const metadata: Record<string, unknown> = {}
  if (wanted(filters, 'device_info')) {
    Object.assign(metadata, {
      device_info: { ...sample.device, cpus: 8 },
      browser_metadata: { ...sample.browser, engine: 'Blink', webgl_support: true },
      ...sample.sdk,
      sdk_type: 'web',
    })
  }
  if (wanted(filters, 'ip_information')) metadata.ip_information = sample.ip
  if (wanted(filters, 'precall_network_information')) metadata.pc_metadata = [{ timestamp: p.joined_at, effective_network_type: '4g', ...sample.connectivity }]
  if (wanted(filters, 'events')) {
    metadata.events = [{ name: 'PEER_JOINED', timestamp: p.joined_at }, ...(p.left_at ? [{ name: 'PEER_LEFT', timestamp: p.left_at }] : [])]
  }
  if (!wanted(filters, 'quality_stats')) return { metadata }
  const seconds = Math.round(p.duration * 60)
  const timestamp = p.left_at ?? p.updated_at
  const common = { timestamp, packets_lost: 0, jitter: 1, rtt: 20, mos_quality: 4.5 }
  return {
    metadata,
    quality: {
      audio_producer: [{ ...common, producer_id: derivedId(p.id, 0xa1), mid: '0', ssrc: 1001, bytes_sent: seconds * 4000, packets_sent: seconds * 50 }],
      video_producer: [{
        ...common, producer_id: derivedId(p.id, 0xa2), mid: '1', ssrc: 1002, bytes_sent: seconds * 150_000, packets_sent: seconds * 130,
        frame_width: 1280, frame_height: 720, frames_per_second: 30, frames_encoded: seconds * 30, key_frames_encoded: Math.ceil(seconds / 2),
        quality_limitation_reason: 'none',
      }],
    },
  }
}
