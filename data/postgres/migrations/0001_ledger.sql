-- Up Migration

-- The ledger. Every table is keyed by tenant_id first and every transaction the store runs touches
-- one tenant, so the tables can be distributed by tenant_id (Citus) without change. Money is bigint
-- minor units. Free-text key columns hold the text as given, or its JSON string form when it
-- starts with '"', holds U+0000 or a lone surrogate (data/postgres/keyText.ts). Documents are
-- `json`, not `jsonb`: jsonb refuses U+0000, which a usage record's text may carry, and json keeps
-- the entry exactly as written.

-- One row per account: the figures checked here, and a snapshot of the whole account every so
-- often, so a cold process replays only the entries after it.
CREATE TABLE accounts (
  tenant_id text NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  opened_at timestamptz NOT NULL,
  balance_minor bigint NOT NULL,
  debt_minor bigint NOT NULL CHECK (debt_minor >= 0),
  -- Σ remaining of the account's lots (the lots table).
  lots_minor bigint NOT NULL CHECK (lots_minor >= 0),
  entry_count bigint NOT NULL CHECK (entry_count >= 1),
  -- Alerts raised so far: the next alert's number is this plus one.
  alert_count bigint NOT NULL DEFAULT 0 CHECK (alert_count >= 0),
  snapshot json,
  snapshot_entry_count bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  CONSTRAINT balance_is_lots_less_debt CHECK (balance_minor = lots_minor - debt_minor),
  CONSTRAINT no_debt_while_lots_remain CHECK (debt_minor = 0 OR lots_minor = 0),
  CONSTRAINT snapshot_within_journal CHECK (snapshot_entry_count BETWEEN 0 AND entry_count AND (snapshot IS NULL) = (snapshot_entry_count = 0))
);

-- Every change to an account, appended and never rewritten. `entry` is the whole JournalEntry;
-- the other columns repeat what is queried or checked.
CREATE TABLE journal (
  tenant_id text NOT NULL,
  entry_no bigint NOT NULL CHECK (entry_no >= 1),
  kind text NOT NULL,
  amount_minor bigint NOT NULL,
  balance_after_minor bigint NOT NULL,
  at timestamptz NOT NULL,
  idempotency_key text,
  entry json NOT NULL,
  PRIMARY KEY (tenant_id, entry_no)
);

CREATE FUNCTION journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The journal is append-only: % of journal rows is refused.', TG_OP;
END;
$$;
CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON journal
  FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER journal_never_truncated BEFORE TRUNCATE ON journal
  FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();

-- The lots an account holds now (with money left), oldest purchase first by purchased_at.
CREATE TABLE lots (
  tenant_id text NOT NULL,
  lot_id text NOT NULL,
  purchased_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  original_minor bigint NOT NULL CHECK (original_minor > 0),
  remaining_minor bigint NOT NULL,
  source text NOT NULL,
  added_by text NOT NULL,
  PRIMARY KEY (tenant_id, lot_id),
  CONSTRAINT remaining_within_original CHECK (remaining_minor > 0 AND remaining_minor <= original_minor),
  CONSTRAINT expires_after_purchase CHECK (expires_at > purchased_at)
);

-- Operation keys (card operation ids, operator keys, recharge attempt ids), kept for good: the
-- same key never records the same kind of entry twice. The kind is part of the key because one
-- operation may be cancelled and then, its card charge having gone through, still funded.
CREATE TABLE operation_keys (
  tenant_id text NOT NULL,
  key text NOT NULL,
  kind text NOT NULL,
  entry_no bigint NOT NULL,
  PRIMARY KEY (tenant_id, key, kind)
);

-- Usage record ids charged within the acceptance window; the sweep deletes older ones. `day` is
-- the UTC day number of the call's start.
CREATE TABLE usage_keys (
  tenant_id text NOT NULL,
  record_id text NOT NULL,
  day integer NOT NULL,
  PRIMARY KEY (tenant_id, record_id)
);

-- Alerts raised by committed changes and not yet acknowledged, stored in the same transaction.
CREATE TABLE alert_outbox (
  tenant_id text NOT NULL,
  alert_no bigint NOT NULL CHECK (alert_no >= 1),
  alert json NOT NULL,
  raised_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, alert_no)
);
CREATE INDEX alert_outbox_oldest_first ON alert_outbox (raised_at, tenant_id, alert_no);
