// 6: per-org row counts of the tables that lists page through, kept by triggers as rows are
// inserted and deleted, so an unfiltered list's total_count is one look-up instead of a count(*)
// over the org's rows; and org keys, so that a reset can hide a large org's rows at once and free
// them in the background (see namespaces.ts).
import type { Migration } from './index.js'

/** The tables whose rows are counted per org. */
export const countedTables = ['meetings', 'sessions', 'recordings', 'livestreams', 'events', 'deliveries'] as const

const triggers = (table: string) => `
  INSERT INTO row_counts (org, tbl, n) SELECT org_id, '${table}', count(*) FROM ${table} GROUP BY org_id;
  CREATE TRIGGER ${table}_counted AFTER INSERT ON ${table} BEGIN
    INSERT INTO row_counts (org, tbl, n) VALUES (NEW.org_id, '${table}', 1)
      ON CONFLICT (org, tbl) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER ${table}_uncounted AFTER DELETE ON ${table} BEGIN
    UPDATE row_counts SET n = n - 1 WHERE org = OLD.org_id AND tbl = '${table}';
  END;`

export const migration = {
  version: 7,
  name: 'counts-namespaces',
  sql: `
  -- How many rows each org has in each counted table (org rather than org_id: this table is
  -- derived from the others, so resets and snapshots leave it to the triggers).
  CREATE TABLE row_counts (
    org TEXT NOT NULL,
    tbl TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org, tbl)
  ) STRICT, WITHOUT ROWID;
  ${countedTables.map(triggers).join('\n')}

  -- The key an org's rows carry in org_id in the tables a reset hides, once the org has been
  -- reset with many rows (an org without a row here uses its id).
  CREATE TABLE org_keys (
    org TEXT PRIMARY KEY,
    key TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;

  -- Keys of rows hidden by a reset, still to be deleted.
  CREATE TABLE dead_keys (
    key TEXT PRIMARY KEY
  ) STRICT, WITHOUT ROWID;
  `,
} satisfies Migration
