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
