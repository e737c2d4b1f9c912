// Per-org simulation settings (GET/PATCH /_mock/settings). Delays run on the org's clock.
import type { Store } from '../store/index.js'

export const defaultSettings = {
  recording_start_delay_s: 2,
  recording_upload_delay_s: 5,
  livestream_start_delay_s: 3,
  livestream_stop_delay_s: 2,
  download_url_ttl_s: 86_400,
  /** Seconds before each retry of a failed webhook delivery: 5 retries after the first attempt. */
  webhook_retry_schedule_s: [5, 30, 120, 600, 1800] as number[],
  webhook_timeout_ms: 3000,
}

export type Settings = typeof defaultSettings

export function createSettings (store: Store) {
  const cache = new Map<string, Settings>()
  return {
    get (orgId: string): Settings {
      let s = cache.get(orgId)
      if (!s) {
        s = { ...defaultSettings, ...store.orgs.settings(orgId) } as Settings
        cache.set(orgId, s)
      }
      return s
    },
    update (orgId: string, patch: Partial<Settings>): Settings {
      const next = { ...this.get(orgId), ...patch }
      store.orgs.setSettings(orgId, next)
      cache.set(orgId, next)
      return next
    },
    forget: (orgId: string) => { cache.delete(orgId) },
  }
}

export type SettingsStore = ReturnType<typeof createSettings>
