// 1: core resources.
import type { Migration } from './index.js'

export const migration = {
  version: 1,
  name: 'core',
  sql: `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    -- per-org simulation state: the clock (frozen at frozen_at_ms, or wall time + offset_ms),
    -- settings as JSON, and the counter behind deterministic ids (--seed)
    frozen_at_ms INTEGER,
    offset_ms INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    id_seq INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  -- Transitions that fall due later on an org's clock (recording started, upload done, ...).
  CREATE TABLE timers (
    id INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL,
    due_at_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ref_id TEXT NOT NULL
  ) STRICT;
  CREATE INDEX timers_org_due ON timers (org_id, due_at_ms, id);
  CREATE INDEX timers_ref ON timers (org_id, ref_id);

  -- Every state change the real API would announce by webhook, written in the change's transaction.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    type TEXT NOT NULL,
    meeting_id TEXT,
    session_id TEXT,
    at TEXT NOT NULL,
    payload TEXT NOT NULL
  ) STRICT;
  CREATE INDEX events_org_seq ON events (org_id, seq);
  CREATE INDEX events_org_meeting ON events (org_id, meeting_id, seq);

  -- The webhook outbox: one row per (event, subscribed webhook), written with the event.
  -- body holds the exact bytes sent and signed; id is the dyte-uuid header, kept on every retry.
  CREATE TABLE deliveries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    event_id TEXT,
    event_type TEXT NOT NULL,
    meeting_id TEXT,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX deliveries_pending ON deliveries (status, webhook_id, seq);
  CREATE INDEX deliveries_org ON deliveries (org_id, seq);

  CREATE TABLE delivery_attempts (
    seq INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    at TEXT NOT NULL,
    status_code INTEGER,
    latency_ms INTEGER NOT NULL,
    error TEXT,
    response_excerpt TEXT
  ) STRICT;
  CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, n);
  CREATE INDEX delivery_attempts_org ON delivery_attempts (org_id);

  -- The built-in receiver (/_mock/inbox/{name}) for users without an endpoint of their own.
  CREATE TABLE inbox (
    seq INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    received_at TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL
  ) STRICT;
  CREATE INDEX inbox_name ON inbox (name, seq);

  CREATE TABLE meetings (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    title TEXT,
    preferred_region TEXT,
    record_on_start INTEGER NOT NULL,
    live_stream_on_start INTEGER NOT NULL,
    persist_chat INTEGER NOT NULL,
    summarize_on_end INTEGER NOT NULL,
    transcribe_on_end INTEGER NOT NULL,
    session_keep_alive_time_in_secs INTEGER,
    status TEXT NOT NULL,
    recording_config TEXT,
    ai_config TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  -- One index serves every meeting list (a status filter reads it too): each index costs every insert.
  CREATE INDEX meetings_org_created ON meetings (org_id, created_at, seq);

  CREATE TABLE participants (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    name TEXT,
    picture TEXT,
    preset_name TEXT NOT NULL,
    custom_participant_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX participants_meeting ON participants (org_id, meeting_id, seq);

  CREATE TABLE sessions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    meeting_display_name TEXT,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    live_participants INTEGER NOT NULL,
    max_concurrent_participants INTEGER NOT NULL,
    minutes_consumed REAL NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    meta TEXT
  ) STRICT;
  CREATE INDEX sessions_org_started ON sessions (org_id, started_at, seq);
  CREATE INDEX sessions_org_meeting ON sessions (org_id, meeting_id, started_at);
  CREATE INDEX sessions_org_status ON sessions (org_id, status, started_at);

  CREATE TABLE session_participants (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    display_name TEXT,
    picture TEXT,
    preset_name TEXT NOT NULL,
    custom_participant_id TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    left_at TEXT,
    duration REAL NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX session_participants_session ON session_participants (org_id, session_id, joined_at, seq);

  CREATE TABLE recordings (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    session_id TEXT,
    status TEXT NOT NULL,
    output_file_name TEXT NOT NULL,
    download_url TEXT,
    download_url_expiry TEXT,
    audio_download_url TEXT,
    file_size INTEGER,
    invoked_time TEXT NOT NULL,
    started_time TEXT,
    stopped_time TEXT,
    recording_duration INTEGER NOT NULL,
    storage_config TEXT,
    config TEXT NOT NULL,
    start_reason TEXT NOT NULL,
    stop_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX recordings_org_invoked ON recordings (org_id, invoked_time, seq);
  CREATE INDEX recordings_org_meeting ON recordings (org_id, meeting_id, invoked_time);

  CREATE TABLE livestreams (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    meeting_id TEXT,
    name TEXT,
    status TEXT NOT NULL,
    ingest_server TEXT NOT NULL,
    stream_key TEXT NOT NULL,
    playback_url TEXT NOT NULL,
    disabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX livestreams_org_meeting ON livestreams (org_id, meeting_id, seq);

  -- RealtimeKit apps: an app id is an org namespace, shared with the Dyte layout.
  CREATE TABLE apps (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    name TEXT,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX apps_account ON apps (account_id, seq);

  CREATE TABLE presets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    name TEXT NOT NULL,
    doc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, name)
  ) STRICT;

  -- One row per period a livestream was live (a "livestream session").
  CREATE TABLE livestream_sessions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    livestream_id TEXT NOT NULL,
    meeting_session_id TEXT,
    err_message TEXT,
    invoked_time TEXT NOT NULL,
    started_time TEXT,
    stopped_time TEXT,
    ingest_seconds INTEGER NOT NULL,
    viewer_seconds INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX livestream_sessions_livestream ON livestream_sessions (org_id, livestream_id, seq);
  CREATE INDEX livestream_sessions_meeting_session ON livestream_sessions (org_id, meeting_session_id, seq);

  -- Organizations made through /v2/orgs (the Dyte CLI's API): each is an org namespace with its own key.
  CREATE TABLE org_records (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    apikey TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE webhooks (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX webhooks_org ON webhooks (org_id, seq);
  `,
} satisfies Migration
