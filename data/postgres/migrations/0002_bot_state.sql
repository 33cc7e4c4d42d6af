-- Up Migration

-- What the bot keeps beside the ledger, so that any instance can answer any request: the people and
-- conversations it has met. Keyed by tenant_id first, like the ledger, and every statement touches
-- one tenant (but for the one noted at known_conversations_by_id).

-- Someone who talked to the bot. person_key is `tenantId/aadObjectId` (or the Teams user id).
CREATE TABLE known_people (
  tenant_id text NOT NULL,
  person_key text NOT NULL,
  user_id text NOT NULL,
  aad_object_id text,
  name text,
  locale text,
  time_zone text,
  email text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, person_key)
);

-- Where the bot can write to a tenant unasked. `reference` is the botbuilder ConversationReference.
-- A channel or group chat an admin opened to the tenant's alerts has subscribed_by/at.
CREATE TABLE known_conversations (
  tenant_id text NOT NULL,
  conversation_id text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('personal', 'channel', 'groupChat')),
  reference json NOT NULL,
  user_key text NOT NULL,
  locale text,
  time_zone text,
  updated_at timestamptz NOT NULL,
  subscribed_by text,
  subscribed_at timestamptz,
  PRIMARY KEY (tenant_id, conversation_id),
  CONSTRAINT subscription_is_whole CHECK ((subscribed_by IS NULL) = (subscribed_at IS NULL))
);
-- A conversation id belongs to the tenant last seen in it: its rows of other tenants are found by id.
CREATE INDEX known_conversations_by_id ON known_conversations (conversation_id);

-- The sandbox payment gateway (no real money): the test card each tenant's admins chose (null:
-- none), and every charge by tenant and idempotency key, the first for a key kept for good.
CREATE TABLE sandbox_cards (
  tenant_id text NOT NULL,
  card text CHECK (card IN ('visa-success', 'mastercard-decline', 'visa-expired')),
  PRIMARY KEY (tenant_id)
);

CREATE TABLE sandbox_charges (
  tenant_id text NOT NULL,
  idempotency_key text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  purpose text NOT NULL,
  actor text NOT NULL,
  -- {ok: true, chargeId} or {ok: false, reason, message}.
  outcome json NOT NULL,
  charged_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, idempotency_key)
);
-- A start looks for the charges of the last days whose funds a crash kept from the ledger.
CREATE INDEX sandbox_charges_by_time ON sandbox_charges (charged_at);

-- Where each tenant's Graph usage sync stands (services/usageSyncState.ts).
CREATE TABLE usage_sync (
  tenant_id text NOT NULL,
  synced_through timestamptz,
  last_sync_at timestamptz,
  last_attempt_at timestamptz,
  problem json,
  PRIMARY KEY (tenant_id)
);

-- Notice mail through Graph sendMail, queued until sent and then kept (sent_at set) for a while,
-- so the same notice queued again is not sent twice. An instance sending a mail claims it until
-- claimed_until (ms since the epoch), so no other instance sends it meanwhile.
CREATE TABLE notice_mail (
  tenant_id text NOT NULL,
  mail_id text NOT NULL,
  recipients json NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  queued_at bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at bigint NOT NULL,
  last_error text,
  claimed_until bigint NOT NULL DEFAULT 0,
  sent_at bigint,
  PRIMARY KEY (tenant_id, mail_id)
);
CREATE INDEX notice_mail_due ON notice_mail (next_attempt_at) WHERE sent_at IS NULL;
