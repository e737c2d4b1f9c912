// 4: inbox entries belong to the org whose delivery they are (NULL: a POST from elsewhere).
import type { Migration } from './index.js'

export const migration = {
  version: 4,
  name: 'inbox-org',
  sql: `
  ALTER TABLE inbox ADD COLUMN org_id TEXT;
  CREATE INDEX inbox_org ON inbox (org_id, name, seq);
  `,
} satisfies Migration
