// Small helpers shared by the repositories: a statement cache for list queries whose WHERE
// clause depends on the filters given, and the paging arithmetic of Dyte's `paging` object.
import type { Db } from './db.js'
import type { Statement } from 'better-sqlite3'
import { dataVersion } from './commits.js'
import { countedTables } from './migrations/007-counts-namespaces.js'

export type Filter = [sql: string, ...params: unknown[]]

/** Prepares each SQL text once; `db` is the database its statements run on. */
export type StatementCache = ((sql: string) => Statement) & { db: Db }

export function statementCache (db: Db): StatementCache {
  const cache = new Map<string, Statement>()
  return Object.assign((sql: string): Statement => {
    let s = cache.get(sql)
    if (!s) { s = db.prepare(sql); cache.set(sql, s) }
    return s
  }, { db })
}

export interface Page { page_no: number, per_page: number }
export interface Paging { total_count: number, start_offset: number, end_offset: number }

/** Offsets are 1-based and inclusive; a page with no rows has both offsets 0. */
export function paging (total: number, page: Page, rows: number): Paging {
  const start = (page.page_no - 1) * page.per_page
  return rows === 0
    ? { total_count: total, start_offset: 0, end_offset: 0 }
    : { total_count: total, start_offset: start + 1, end_offset: start + rows }
}

const counted = new Set<string>(countedTables)

/** Offsets up to this read the page straight from the list's index; deeper ones skip by seq first. */
const SHALLOW = 200
/**
 * What was read from the database, kept per owner (a statement cache, a statement) and key for
 * reuse while the data version of commits.ts has not moved, at most `limit` per owner. A database
 * without a data version keeps nothing.
 */
function keptReads<Owner extends object, Value> (limit: number) {
  const kept = new WeakMap<Owner, Map<string, { at: number, value: Value }>>()
  return (owner: Owner, at: number | undefined, key: string, read: () => Value): Value => {
    if (at === undefined) return read()
    let map = kept.get(owner)
    if (!map) kept.set(owner, map = new Map())
    const hit = map.get(key)
    if (hit !== undefined && hit.at === at) return hit.value
    const value = read()
    if (map.size >= limit) map.clear()
    map.set(key, { at, value })
    return value
  }
}

/** Pages kept per database (each is a page of rows), counts per database, rows per statement (oneRow). */
const pages = keptReads<StatementCache, { rows: unknown[], paging: Paging }>(256)
const counts = keptReads<StatementCache, number>(1000)
const rows = keptReads<Statement, unknown[] | undefined>(1024)

/** Drops what a cache keeps about the org, or about every org (no org: a transaction was rolled back). */
export function forgetOrg (cache: { delete (orgId: string): unknown, clear (): void }, orgId?: string) {
  if (orgId === undefined) cache.clear()
  else cache.delete(orgId)
}

/**
 * Runs `SELECT * FROM <table> WHERE <filters> ORDER BY <order> LIMIT/OFFSET` and its count.
 * Filters are SQL fragments with ? placeholders; values are always bound, never interpolated.
 * An unfiltered list of a counted table (all but the org filter) reads the org's count from
 * row_counts, kept by triggers; any other filter counts the matching rows. A deep page's rows are
 * found by seq first (a deferred join: the offset is skipped in the list's index, without
 * reading the rows it skips), then read; `order` must end with seq, so the order is total.
 * A page read again before anything is written (the data version of commits.ts has not moved) is
 * answered from memory, with rows of its own for each caller.
 */
export function pagedList<Row> (prepare: StatementCache, table: string, filters: Filter[], order: string, page: Page, orderParams: unknown[] = []) {
  const where = filters.map((f) => f[0]).join(' AND ')
  const params = filters.flatMap((f) => f.slice(1))
  const writes = dataVersion(prepare.db)
  const key = `${table}\u0000${where}\u0000${order}\u0000${page.page_no}\u0000${page.per_page}\u0000${JSON.stringify(params)}\u0000${JSON.stringify(orderParams)}`
  const kept = pages(prepare, writes, key, () => {
    const total = filters.length === 1 && filters[0][0] === 'org_id = ?' && counted.has(table)
      ? ((prepare('SELECT n FROM row_counts WHERE org = ? AND tbl = ?').get(params[0], table) as { n: number } | undefined)?.n ?? 0)
      : countOf(prepare, `SELECT count(*) AS n FROM ${table} WHERE ${where}`, params, writes)
    const offset = (page.page_no - 1) * page.per_page
    const rows = orderParams.length === 0 && offset > SHALLOW
      ? allRows(prepare(`SELECT * FROM ${table} WHERE seq IN (SELECT seq FROM ${table} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?) ORDER BY ${order}`),
        [...params, page.per_page, offset])
      : allRows(prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`), [...params, ...orderParams, page.per_page, offset])
    return { rows, paging: paging(total, page, rows.length) }
  })
  return { rows: kept.rows.map((r) => ({ ...(r as object) })) as Row[], paging: { ...kept.paging } }
}

const makers = new WeakMap<Statement, (values: unknown[]) => unknown>()

/**
 * A statement's rows as objects keyed by column name, built from its raw rows by a function made
 * once per statement (an object literal of fixed shape): better-sqlite3's own row objects take
 * several times longer to make, which is most of a 20-row page's cost.
 */
export function allRows<Row> (statement: Statement, params: unknown[]): Row[] {
  return (statement.raw(true).all(...params) as unknown[][]).map(makerOf(statement)) as Row[]
}

/**
 * The statement's first row as an object, made as allRows makes them (undefined: none). Rows are
 * kept per statement and string parameters: the same read before anything is written (the data
 * version has not moved) is answered from memory, with an object of its own for each caller.
 */
export function oneRow<Row> (statement: Statement, params: string[]): Row | undefined {
  const values = rows(statement, dataVersion(statement.database), params.join('\u0000'),
    () => statement.raw(true).get(...params) as unknown[] | undefined)
  return values && makerOf(statement)(values) as Row
}

function makerOf (statement: Statement) {
  let make = makers.get(statement)
  if (!make) {
    const columns = statement.columns().map((c) => c.name)
    make = new Function('r', `return { ${columns.map((c, i) => `${JSON.stringify(c)}: r[${i}]`).join(', ')} }`) as (values: unknown[]) => unknown
    makers.set(statement, make)
  }
  return make
}

// Counting a large org's rows is most of a list's cost: a count is kept like a page.
function countOf (prepare: StatementCache, sql: string, params: unknown[], writes: number | undefined) {
  return counts(prepare, writes, sql + '\u0000' + JSON.stringify(params), () => (prepare(sql).get(...params) as { n: number }).n)
}

export const bool = (v: number) => v === 1
export const int = (v: boolean | undefined) => (v ? 1 : 0)
export const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v))
export const parse = <T>(v: string | null): T | undefined => (v === null ? undefined : JSON.parse(v) as T)
/** `%…%` LIKE pattern with the user's wildcards escaped (used with ESCAPE '\'). */
export const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`
