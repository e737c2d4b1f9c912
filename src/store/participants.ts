import type { Db } from './db.js'
import { pagedList, statementCache, type Page } from './query.js'

export interface Participant {
  id: string
  meeting_id: string
  name: string | null
  picture: string | null
  preset_name: string
  custom_participant_id: string
  created_at: string
  updated_at: string
}

export function createParticipantsRepo (db: Db) {
  const prepare = statementCache(db)
  const byId = db.prepare<[string, string, string], Participant>(
    'SELECT id, meeting_id, name, picture, preset_name, custom_participant_id, created_at, updated_at FROM participants WHERE org_id = ? AND meeting_id = ? AND id = ?')
  const insertStmt = db.prepare(`INSERT INTO participants (id, org_id, meeting_id, name, picture, preset_name, custom_participant_id, created_at, updated_at)
    VALUES (@id, @org_id, @meeting_id, @name, @picture, @preset_name, @custom_participant_id, @created_at, @updated_at)`)
  const updateStmt = db.prepare(`UPDATE participants SET name = @name, picture = @picture, preset_name = @preset_name, custom_participant_id = @custom_participant_id, updated_at = @updated_at
    WHERE org_id = @org_id AND id = @id`)
  const deleteStmt = db.prepare('DELETE FROM participants WHERE org_id = ? AND id = ?')

  return {
    get: (orgId: string, meetingId: string, id: string) => byId.get(orgId, meetingId, id),
    insert (orgId: string, p: Participant) {
      insertStmt.run({ ...p, org_id: orgId })
      return p
    },
    update (orgId: string, p: Participant) {
      updateStmt.run({ ...p, org_id: orgId })
      return p
    },
    remove: (orgId: string, id: string) => { deleteStmt.run(orgId, id) },
    list (orgId: string, meetingId: string, page: Page) {
      // Oldest first: the order in which participants were added.
      const { rows, paging } = pagedList<Participant & { seq: number, org_id: string }>(prepare, 'participants',
        [['org_id = ?', orgId], ['meeting_id = ?', meetingId]], 'seq ASC', page)
      return { data: rows.map(({ seq: _s, org_id: _o, ...p }) => p), paging }
    },
  }
}
