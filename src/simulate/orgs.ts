// An org (a Dyte organization, a RealtimeKit app) is created on first use, with the four
// presets every Dyte organization starts with; POST /v2/orgs and POST …/realtime/kit/apps make
// named ones; POST /_mock/reset wipes one.
import { conflict } from '../errors.js'
import type { Store } from '../store/index.js'
import type { OrgRecord } from '../store/org-records.js'
import { UNSTAMPED } from '../store/presets.js'
import { iso, type OrgClocks } from './clock.js'
import type { NewId } from './ids.js'
import type { Deliverer } from './deliver.js'
import type { Faults } from './faults.js'
import type { Scheduler } from './scheduler.js'
import type { SettingsStore } from './settings.js'

type Kind = 'host' | 'participant' | 'presenter' | 'viewer'

function builtIn (name: string, view: 'GROUP_CALL' | 'WEBINAR', kind: Kind) {
  const leads = kind === 'host' || kind === 'presenter'
  const produce = kind === 'viewer' ? 'NOT_ALLOWED' : 'ALLOWED'
  return {
    name,
    config: {
      view_type: view,
      max_video_streams: { mobile: view === 'WEBINAR' ? 4 : 6, desktop: view === 'WEBINAR' ? 9 : 25 },
      max_screenshare_count: 1,
      media: {
        audio: { enable_stereo: false, enable_high_bitrate: false },
        video: { quality: 'hd', frame_rate: 30 },
        screenshare: { quality: 'hd', frame_rate: 5 },
      },
    },
    permissions: {
      accept_waiting_requests: leads,
      can_accept_production_requests: leads,
      can_edit_display_name: true,
      can_spotlight: leads,
      is_recorder: false,
      recorder_type: 'NONE',
      disable_participant_audio: leads,
      disable_participant_screensharing: leads,
      disable_participant_video: leads,
      kick_participant: leads,
      pin_participant: leads,
      can_record: leads,
      can_livestream: leads,
      waiting_room_type: 'SKIP',
      plugins: { can_close: leads, can_start: leads, can_edit_config: leads, config: { access_control: leads ? 'FULL_ACCESS' : 'VIEW_ONLY', handles_view_only: false } },
      connected_meetings: { can_alter_connected_meetings: leads, can_switch_connected_meetings: leads, can_switch_to_parent_meeting: leads },
      polls: { can_create: leads, can_vote: true, can_view: true },
      media: { video: { can_produce: produce }, audio: { can_produce: produce }, screenshare: { can_produce: leads ? 'ALLOWED' : 'NOT_ALLOWED' } },
      chat: {
        public: { can_send: true, text: true, files: true },
        private: { can_send: true, can_receive: true, text: true, files: true },
      },
      hidden_participant: false,
      show_participant_list: true,
      can_change_participant_permissions: leads,
    },
    ui: {
      design_tokens: {
        border_radius: 'rounded',
        border_width: 'thin',
        spacing_base: 4,
        theme: 'dark',
        colors: {
          brand: { 300: '#844d1c', 400: '#9d5b22', 500: '#b56927', 600: '#d37c30', 700: '#d9904f' },
          background: { 600: '#222222', 700: '#1f1f1f', 800: '#1b1b1b', 900: '#181818', 1000: '#141414' },
          danger: '#FF2D2D', text: '#EEEEEE', text_on_brand: '#EEEEEE', success: '#62A504', video_bg: '#191919', warning: '#FFCD07',
        },
        logo: 'https://example.com/logo.svg',
      },
      config_diff: {},
    },
  }
}

export const builtInPresets = [
  builtIn('group_call_host', 'GROUP_CALL', 'host'),
  builtIn('group_call_participant', 'GROUP_CALL', 'participant'),
  builtIn('webinar_presenter', 'WEBINAR', 'presenter'),
  builtIn('webinar_viewer', 'WEBINAR', 'viewer'),
]

export interface OrgDeps {
  store: Store, clock: OrgClocks, newId: NewId
  /** What a reset makes forget the org (caches, attempts under way) besides its rows. */
  deliverer: Pick<Deliverer, 'forgetOrg'>, settings: Pick<SettingsStore, 'forget'>, faults: Pick<Faults, 'forget'>, scheduler: Pick<Scheduler, 'rearm'>
}

/** Told that an org's state was wiped ('reset') or replaced by a snapshot ('restored'). */
export type OrgListener = (orgId: string, why: 'reset' | 'restored') => void

/** The body of POST /v2/orgs. */
export interface NewOrg { name: string, contact?: string, website?: string, feature_flags?: string[], preferred_region?: string }

export function createOrgs (ctx: OrgDeps) {
  const { store } = ctx
  const now = (orgId: string) => iso(ctx.clock.now(orgId))
  const listeners: OrgListener[] = []

  function forget (orgId: string, why: 'reset' | 'restored') {
    ctx.deliverer.forgetOrg(orgId)
    ctx.clock.forget(orgId)
    ctx.settings.forget(orgId)
    ctx.faults.forget(orgId)
    store.presets.forget(orgId)
    ctx.scheduler.rearm()
    for (const l of listeners) l(orgId, why)
  }

  /**
   * Creates the org on its first request, with the built-in presets, in one transaction. The
   * presets get their timestamps from the org's clock when they are first read (see UNSTAMPED):
   * the first request is often the one that freezes the clock. The org's row is stamped with wall time.
   */
  function ensure (orgId: string) {
    if (store.orgs.isKnown(orgId)) return
    store.tx(() => {
      if (!store.orgs.ensure(orgId, iso(ctx.clock.wall()))) return
      for (const p of builtInPresets) store.presets.insert(orgId, { ...p, id: ctx.newId(orgId), created_at: UNSTAMPED, updated_at: UNSTAMPED })
    })
  }

  return {
    ensure,

    /**
     * An org reached through RealtimeKit's paths: created on first use like any other, and from
     * then on (across restarts, until a reset) a RealtimeKit app, whose webhooks take Cloudflare's
     * format (see webhookFormat).
     */
    ensureApp (orgId: string) {
      ensure(orgId)
      store.orgs.markRealtimeKit(orgId)
    },

    /** POST /v2/orgs: an org visible to the CLI token that made it, with an API key of its own. Times from the caller's clock, the key from the id generator, so --seed runs repeat. */
    create (token: string, body: NewOrg): OrgRecord {
      if (store.orgRecords.nameTaken(body.name)) throw conflict(`An organization named ${body.name} already exists`)
      const at = now(token)
      const org: OrgRecord = {
        id: ctx.newId(token), name: body.name, contact: body.contact ?? '', website: body.website ?? '',
        apikey: ctx.newId(token).replaceAll('-', ''), preferred_region: body.preferred_region ?? 'ap-south-1',
        feature_flags: body.feature_flags ?? [], created_at: at, updated_at: at,
      }
      store.tx(() => {
        store.orgRecords.insert(token, org)
        ensure(org.id)
      })
      return org
    },

    /** POST …/realtime/kit/apps: a new app of the account, recorded with the key that made it; created_at is on the new app's clock. */
    createApp (accountId: string, name: string | undefined, createdBy: string | null) {
      const id = ctx.newId()
      const app = { id, name: name ?? null, created_at: now(id) }
      store.tx(() => {
        store.apps.insert(accountId, app, createdBy)
        ensure(app.id)
      })
      return app
    },

    /**
     * POST /_mock/reset: deletes everything the org owns, its clock and settings included. Delivery
     * attempts under way for it are abandoned (their results would land on rows made after the reset).
     */
    reset (orgId: string) {
      store.resetOrg(orgId, () => store.orgs.remove(orgId))
      forget(orgId, 'reset')
    },

    /**
     * The org's rows were replaced (a reset, a snapshot restored): everything kept in memory about
     * it is dropped and read again from the database, attempts under way for its old rows are
     * abandoned, and the scheduler re-reads the due transitions.
     */
    forget,

    /** Runs `listener` after every reset or restore of an org (for state kept outside the store, such as a request journal). */
    onForget (listener: OrgListener) { listeners.push(listener) },
  }
}

export type Orgs = ReturnType<typeof createOrgs>
