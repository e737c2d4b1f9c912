// 5: saved org states (/_mock/snapshots) and the API coverage of the user's suite (/_mock/coverage).
import type { Migration } from './index.js'

export const migration = {
  version: 5,
  name: 'snapshots-coverage',
  sql: `
  -- A snapshot is the export document (JSON) of the org's whole state at the time it was taken.
  CREATE TABLE snapshots (
    seq INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    rows INTEGER NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (org_id, name)
  ) STRICT;

  -- How often the org's suite reached each thing coverage counts: kind 'operation' (key
  -- '<operationId> <status>'), 'webhook' (key: the event type delivered) or 'state' (key
  -- '<resource> <status>', e.g. 'recording UPLOADED').
  CREATE TABLE coverage (
    org_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind, key)
  ) STRICT, WITHOUT ROWID;
  `,
} satisfies Migration
