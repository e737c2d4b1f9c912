// Org keys: what an org's rows carry in org_id in the tables a reset hides. An org starts with its
// own id as key. A reset of an org with many rows moves the org to a new key (`<org id>\u001f<n>`)
// instead of deleting them: every reader asks for the new key, so the old rows are gone for all of
// them the moment the reset commits, and purge() deletes them afterwards in small batches.
// Repositories of these tables are wrapped by scoped(): org ids in, keys to the SQL; keys out, org
// ids to the caller.
import type { Db } from './db.js'

/** Between an org id and its generation in a key (org ids come from credentials and paths, which never hold it). */
export const SEP = '\u001f'

/** The tables a reset hides by moving the org to a new key: an org's bulk, read only through its org id. */
export const hiddenTables = ['events', 'livestream_sessions', 'livestreams', 'meetings', 'participants', 'recordings', 'session_participants', 'sessions']

export function createNamespaces (db: Db) {
  const readKeys = db.prepare<[], [string, string]>('SELECT org, key FROM org_keys').raw(true)
  const readDead = db.prepare<[], string>('SELECT key FROM dead_keys ORDER BY key').pluck(true)
  const keys = new Map(readKeys.all())
  const dead = new Set(readDead.all())
  const putKey = db.prepare('INSERT INTO org_keys (org, key) VALUES (?, ?) ON CONFLICT (org) DO UPDATE SET key = excluded.key')
  const addDead = db.prepare('INSERT OR IGNORE INTO dead_keys (key) VALUES (?)')
  const removeDead = db.prepare('DELETE FROM dead_keys WHERE key = ?')
  const dropCounts = db.prepare('DELETE FROM row_counts WHERE org = ?')
  const batches = hiddenTables.map((t) => db.prepare(`DELETE FROM ${t} WHERE seq IN (SELECT seq FROM ${t} WHERE org_id = ? LIMIT ?)`))

  const key = (orgId: string) => keys.get(orgId) ?? orgId
  const orgOf = (k: string) => {
    const at = k.indexOf(SEP)
    return at < 0 ? k : k.slice(0, at)
  }
  /** Puts org ids back where the answer of a repository has keys (in place). */
  const fix = (v: unknown) => {
    if (v === null || typeof v !== 'object') return
    const o = v as { org_id?: unknown, organization_id?: unknown }
    if (typeof o.org_id === 'string' && o.org_id.includes(SEP)) o.org_id = orgOf(o.org_id)
    if (typeof o.organization_id === 'string' && o.organization_id.includes(SEP)) o.organization_id = orgOf(o.organization_id)
  }
  const unkey = <T>(v: T): T => {
    if (keys.size === 0 || v === null || typeof v !== 'object') return v
    if (Array.isArray(v)) v.forEach(fix)
    else {
      fix(v)
      const data = (v as { data?: unknown }).data
      if (Array.isArray(data)) data.forEach(fix)
    }
    return v
  }

  return {
    key,
    orgOf,
    /** A transaction was rolled back: the keys are read again. */
    reload () {
      keys.clear()
      for (const [org, k] of readKeys.all()) keys.set(org, k)
      dead.clear()
      for (const k of readDead.all()) dead.add(k)
    },
    /** Whether rows with this key were hidden by a reset (and not yet deleted). */
    isDead: (k: string) => dead.has(k),
    /** The org's keys whose rows a reset hid and are not yet deleted. */
    hiddenKeysOf: (orgId: string) => dead.size === 0 ? [] : [...dead].filter((k) => orgOf(k) === orgId),

    /**
     * The repository with org ids turned into keys on the way in (the first argument, or its
     * organization_id) and back on the way out. An org never moved pays one map look-up.
     */
    scoped<R extends object> (repo: R): R {
      const out: Record<string, unknown> = {}
      for (const [name, f] of Object.entries(repo)) {
        if (typeof f !== 'function') {
          out[name] = f
          continue
        }
        out[name] = (...args: unknown[]) => {
          if (keys.size > 0) {
            const first = args[0]
            if (typeof first === 'string') args[0] = key(first)
            else if (first !== null && typeof first === 'object' && typeof (first as { organization_id?: unknown }).organization_id === 'string') {
              args[0] = { ...first, organization_id: key((first as { organization_id: string }).organization_id) }
            }
          }
          return unkey(f.apply(repo, args))
        }
      }
      return out as R
    },

    /**
     * Moves the org to a new key, in the caller's transaction: its rows under the old key are
     * hidden from every reader and left for purge(). Returns what to do once that transaction has
     * committed (the keys held in memory follow the database only then).
     */
    rotate (orgId: string): () => void {
      const old = key(orgId)
      const next = `${orgId}${SEP}${old === orgId ? 1 : Number(old.slice(old.lastIndexOf(SEP) + 1)) + 1}`
      addDead.run(old)
      putKey.run(orgId, next)
      return () => {
        dead.add(old)
        keys.set(orgId, next)
      }
    },

    /** Hidden rows still to delete: whether there are any. */
    pending: () => dead.size > 0,

    /**
     * Deletes up to `limit` hidden rows, in one transaction; a key whose rows are all gone is
     * forgotten, with its row counts. Returns how many rows it deleted.
     */
    purge (limit = 500): number {
      let done = 0
      db.transaction(() => {
        for (const k of dead) {
          for (const batch of batches) {
            done += batch.run(k, limit - done).changes
            if (done >= limit) return
          }
          removeDead.run(k)
          dropCounts.run(k)
          dead.delete(k)
        }
      })()
      return done
    },
  }
}

export type Namespaces = ReturnType<typeof createNamespaces>

/** Runs `step` later (by default in `everyMs` on an unref'd timer); returns how to cancel it. */
export type Later = (step: () => void) => () => void

const after = (everyMs: number): Later => (step) => {
  const timer = setTimeout(step, everyMs)
  timer.unref()
  return () => clearTimeout(timer)
}

/**
 * Deletes hidden rows in the background, one batch at a time (every 10 ms by default) while any
 * are left; kick() starts it again after a reset. A batch that fails (a full disk) is reported
 * and the rest waits for the next kick. After stop(), nothing more runs.
 */
export function startPurge (ns: Pick<Namespaces, 'pending' | 'purge'>, onError: (err: unknown) => void, later: Later = after(10)) {
  let cancel: (() => void) | undefined
  let stopped = false
  const step = () => {
    cancel = undefined
    try {
      ns.purge()
    } catch (err) {
      onError(err)
      return
    }
    kick()
  }
  function kick () {
    if (cancel || stopped || !ns.pending()) return
    cancel = later(step)
  }
  kick()
  return {
    kick,
    stop () {
      stopped = true
      cancel?.()
      cancel = undefined
    },
  }
}
