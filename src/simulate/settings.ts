// Per-org simulation settings (GET/PATCH /_mock/settings). Delays run on the org's clock.
import { badRequest } from '../errors.js'
import type { Store } from '../store/index.js'
import { forgetOrg } from '../store/query.js'
import type { RateLimit, Shapes } from './setting-types.js'

export const defaultSettings = {
  recording_start_delay_s: 2,
  recording_upload_delay_s: 5,
  livestream_start_delay_s: 3,
  livestream_stop_delay_s: 2,
  download_url_ttl_s: 86_400,
  /** Seconds before each retry of a failed webhook delivery: 5 retries after the first attempt. */
  webhook_retry_schedule_s: [5, 30, 120, 600, 1800] as number[],
  webhook_timeout_ms: 3000,
  /** Off unless the server was started with a limit (--rate-limit). */
  rate_limit: null as RateLimit | null,
  /** /v2 answers in the served document's shapes (seed) or, where they differ, the live Dyte API's (live). */
  shapes: 'seed' as Shapes,
}

export type Settings = typeof defaultSettings

/** The settings each org starts with: the defaults above, changed by the server's options. */
export function createSettings (store: Store, defaults: Partial<Settings> = {}) {
  const base: Settings = { ...defaultSettings, ...defaults }
  const cache = new Map<string, Settings>()
  return {
    get (orgId: string): Settings {
      let s = cache.get(orgId)
      if (!s) {
        s = { ...base, ...store.orgs.settings(orgId) } as Settings
        cache.set(orgId, s)
      }
      return s
    },
    /** Changes the settings the patch gives (at least one). */
    update (orgId: string, patch: Partial<Settings>): Settings {
      const known = Object.keys(defaultSettings) as (keyof Settings)[]
      const given = Object.fromEntries(known.filter((k) => patch[k] !== undefined).map((k) => [k, patch[k]]))
      if (Object.keys(given).length === 0) throw badRequest(`body must set at least one of: ${known.join(', ')}`)
      // Only the keys ever given are stored, so the rest keep following the server's defaults.
      store.orgs.setSettings(orgId, { ...store.orgs.settings(orgId), ...given })
      const next = { ...this.get(orgId), ...given }
      cache.set(orgId, next)
      return next
    },
    /** Drops what is kept in memory about the org (about every org: a transaction was rolled back). */
    forget: (orgId?: string) => forgetOrg(cache, orgId),
  }
}

export type SettingsStore = ReturnType<typeof createSettings>
