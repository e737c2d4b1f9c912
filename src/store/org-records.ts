import type { Db } from './db.js'
import { pagedList, statementCache, type Page } from './query.js'

export interface OrgRecord {
  id: string, name: string, contact: string, website: string, apikey: string, preferred_region: string,
  feature_flags: string[], created_at: string, updated_at: string
}

type Row = { id: string, name: string, doc: string, apikey: string, created_at: string, updated_at: string }
const toRecord = (r: Row): OrgRecord => ({ ...JSON.parse(r.doc), id: r.id, name: r.name, apikey: r.apikey, created_at: r.created_at, updated_at: r.updated_at })
const docOf = (o: OrgRecord) => JSON.stringify({ contact: o.contact, website: o.website, preferred_region: o.preferred_region, feature_flags: o.feature_flags })

/** Organizations made through /v2/orgs, visible to the CLI token that made them. */
export function createOrgRecordsRepo (db: Db) {
  const prepare = statementCache(db)
  const insert = db.prepare('INSERT INTO org_records (id, token, name, doc, apikey, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const byId = db.prepare<[string, string], Row>('SELECT * FROM org_records WHERE token = ? AND id = ?')
  const byName = db.prepare<[string], Row>('SELECT * FROM org_records WHERE name = ?')
  const keyOf = db.prepare<[string], { apikey: string }>('SELECT apikey FROM org_records WHERE id = ?')
  const nameOf = db.prepare<[string], { name: string }>('SELECT name FROM org_records WHERE id = ?')
  const update = db.prepare('UPDATE org_records SET name = ?, doc = ?, updated_at = ? WHERE id = ?')
  return {
    insert: (token: string, o: OrgRecord) => { insert.run(o.id, token, o.name, docOf(o), o.apikey, o.created_at, o.updated_at); return o },
    get (token: string, id: string) { const r = byId.get(token, id); return r && toRecord(r) },
    nameTaken: (name: string, exceptId?: string) => { const r = byName.get(name); return r !== undefined && r.id !== exceptId },
    /** The API key of an org made here (accepted as its Basic password even with --orgs). */
    apiKey: (orgId: string) => keyOf.get(orgId)?.apikey,
    /** The name of an org made here. */
    name: (orgId: string) => nameOf.get(orgId)?.name,
    update: (o: OrgRecord) => { update.run(o.name, docOf(o), o.updated_at, o.id); return o },
    list (token: string, page: Page) {
      const r = pagedList<Row>(prepare, 'org_records', [['token = ?', token]], 'seq ASC', page)
      return { data: r.rows.map(toRecord), paging: r.paging }
    },
  }
}
