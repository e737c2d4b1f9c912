// 2: faults injected on demand through /_mock/faults.
import type { Migration } from './index.js'

export const migration = {
  version: 2,
  name: 'faults',
  sql: `
  CREATE TABLE faults (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    -- what to match and what to answer, as the API returns it (JSON)
    spec TEXT NOT NULL,
    -- matching requests still to let through before the fault applies, and applications left (NULL: no limit)
    skip_left INTEGER NOT NULL,
    times_left INTEGER,
    hits INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX faults_org ON faults (org_id, seq);
  `,
} satisfies Migration
