// 6: whether the org was reached through RealtimeKit's paths (its webhooks then take Cloudflare's format).
import type { Migration } from './index.js'

export const migration = {
  version: 6,
  name: 'org-realtimekit',
  sql: `
  ALTER TABLE orgs ADD COLUMN realtimekit INTEGER NOT NULL DEFAULT 0;
  `,
} satisfies Migration
