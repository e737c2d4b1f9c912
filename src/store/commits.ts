// Group commit: the writes made in one turn of the event loop share one SQLite transaction, which
// commits at the end of that turn (setImmediate). A commit writes the pages a transaction changed
// to the WAL, so requests that touch the same pages (the same table, its indexes, the row counts)
// pay for them once per turn instead of once each.
//
// The promise that a 2xx means the write survives kill -9 holds because answers wait for the
// commit (plugins/commits.ts): a request that wrote, or read while writes were uncommitted, is
// answered after the turn's transaction has committed, or with its error if it failed. Webhook
// deliveries are read only after a commit (afterCommit), so no receiver hears of an uncommitted
// event.
//
// The data version (dataVersion) counts every write statement run, every exec and every rollback:
// a read made at the same version sees the same rows, which is what lets query.ts answer a read
// again from memory. This connection is the database's only writer (db.ts holds it exclusively).
//
// Every write statement joins the open transaction or opens one: prepare() is wrapped once, here,
// so no repository has to know. A transaction a caller runs itself (db.transaction, store.tx)
// becomes a savepoint of the turn's, and still undoes all of its writes when it throws.
import type { Statement } from 'better-sqlite3'
import type { Db } from './db.js'

export interface Commits {
  /** Whether the turn's transaction is open (it has uncommitted writes). */
  readonly open: boolean
  /** The number the next transaction will get: a request takes it when it starts (see failedSince). */
  next (): number
  /** Resolves once the open transaction has committed; rejects with its error if it failed. */
  committed (): Promise<void>
  /** The error of a failed transaction numbered `from` or later, if one failed. */
  failedSince (from: number): unknown
  /** Commits the open transaction now (a caller that needs its own transaction runs after it). */
  flush (): void
  /** Runs fn once nothing is uncommitted: at once, or right after the open transaction commits (or fails). */
  afterCommit (fn: () => void): void
  /** Called after a transaction failed and was rolled back: whatever was kept in memory about the rows it wrote is stale. */
  onRollback (fn: () => void): void
  /** Runs fn in a savepoint of the turn's transaction (opened if none is): all of fn's writes or none are kept. */
  transaction<T> (fn: () => T): T
  /** Whether fn of transaction() is running: a caller's transaction is under way. */
  readonly inCallerTransaction: boolean
}

const WRITE_METHODS = ['run', 'get', 'all', 'iterate'] as const

const versions = new WeakMap<Db, () => number>()

/**
 * A number that changes whenever what the database holds may have changed (undefined: the
 * database has no group commit, so nothing can tell).
 */
export const dataVersion = (db: Db): number | undefined => versions.get(db)?.()

export function createCommits (db: Db): Commits {
  let open = false
  let seq = 0 // transactions opened so far; the open one is number seq
  let failure: { seq: number, err: unknown } | undefined
  let waiting: { promise: Promise<void>, resolve: () => void, reject: (err: unknown) => void } | undefined
  let after: (() => void)[] = []
  const rollbackListeners: (() => void)[] = []
  let depth = 0 // transaction() calls running
  let version = 0
  versions.set(db, () => version)

  const begin = () => {
    db.exec('BEGIN')
    open = true
    seq++
    setImmediate(flush)
  }

  // A statement failed and SQLite rolled the whole transaction back (SQLITE_FULL, an I/O error):
  // its error stands for the transaction's.
  let cause: unknown
  const rolledBack = () => cause ?? Object.assign(new Error('the transaction was rolled back by SQLite'), { code: 'SQLITE_ABORT_ROLLBACK' })

  function join () {
    if (open) {
      if (db.inTransaction) return
      fail(rolledBack())
    } else if (db.inTransaction) {
      return // a transaction of its own is running (a migration, a reset's): its writes are its own
    }
    begin()
  }

  function fail (err: unknown) {
    version++ // rows read since the transaction began were never kept
    open = false
    cause = undefined
    try {
      if (db.inTransaction) db.exec('ROLLBACK')
    } catch {} // SQLite has rolled back already
    failure = { seq, err }
    for (const l of rollbackListeners) l()
    settle(err)
  }

  function flush () {
    if (!open || !db.open) return
    if (!db.inTransaction) return fail(rolledBack())
    try {
      db.exec('COMMIT')
      open = false
    } catch (err) {
      fail(err)
      return
    }
    settle(undefined)
  }

  function settle (err: unknown) {
    const w = waiting
    waiting = undefined
    if (w) {
      if (err === undefined) w.resolve()
      else {
        w.promise.catch(() => {}) // a transaction no answer waited for fails quietly
        w.reject(err)
      }
    }
    const fns = after
    after = []
    for (const fn of fns) fn()
  }

  // Every statement that writes (better-sqlite3's `reader` is false) joins the turn's transaction.
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    const s = prepare(sql) as Statement
    if (!s.reader) {
      for (const m of WRITE_METHODS) {
        const f = s[m] as (...args: unknown[]) => unknown
        (s as unknown as Record<string, unknown>)[m] = function (this: Statement, ...args: unknown[]) {
          version++
          join()
          try {
            return f.apply(this, args)
          } catch (err) {
            if (open && !db.inTransaction) cause = err
            throw err
          }
        }
      }
    }
    return s
  }) as Db['prepare']

  const exec = db.exec.bind(db)
  db.exec = ((sql: string) => {
    version++
    return exec(sql)
  }) as Db['exec']

  // Closing commits the turn's writes first (SQLite would roll them back).
  const close = db.close.bind(db)
  db.close = () => {
    flush()
    return close()
  }

  return {
    get open () { return open },
    next: () => (open ? seq : seq + 1),
    committed () {
      if (!open) return Promise.resolve()
      if (!waiting) {
        let resolve!: () => void
        let reject!: (err: unknown) => void
        const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej })
        waiting = { promise, resolve, reject }
      }
      return waiting.promise
    },
    failedSince: (from: number) => (failure && failure.seq >= from ? failure.err : undefined),
    flush,
    afterCommit (fn: () => void) {
      if (open) after.push(fn)
      else fn()
    },
    onRollback (fn: () => void) { rollbackListeners.push(fn) },
    transaction<T> (fn: () => T): T {
      join()
      depth++
      try {
        return db.transaction(fn)()
      } finally {
        depth--
      }
    },
    get inCallerTransaction () { return depth > 0 },
  }
}
