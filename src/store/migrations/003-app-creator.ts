// 3: the key that created a RealtimeKit app (it may use the app when --orgs checks credentials).
import type { Migration } from './index.js'

export const migration = {
  version: 3,
  name: 'app-creator',
  sql: `
  ALTER TABLE apps ADD COLUMN created_by TEXT;
  CREATE INDEX apps_account_creator ON apps (account_id, created_by, seq);
  `,
} satisfies Migration
