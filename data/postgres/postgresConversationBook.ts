import type pg from 'pg';
import { keyFromText, keyText } from './keyText.js';
import { prepared } from './prepared.js';
import {
  personKey,
  type AlertSubscription,
  type ConversationBook,
  type KnownConversation,
  type KnownPerson,
  type Sighting,
} from '../conversationReferences.js';

interface PersonRow {
  tenant_id: string;
  person_key: string;
  user_id: string;
  aad_object_id: string | null;
  name: string | null;
  locale: string | null;
  time_zone: string | null;
  email: string | null;
  updated_at: Date;
}

interface ConversationRow {
  tenant_id: string;
  conversation_id: string;
  scope: KnownConversation['scope'];
  reference: KnownConversation['reference'];
  user_key: string;
  locale: string | null;
  time_zone: string | null;
  updated_at: Date;
  subscribed_by: string | null;
  subscribed_at: Date | null;
}

/**
 * A sighting in one statement: the person and the conversation are upserted together; a value the
 * sighting lacks keeps the one stored (COALESCE), the subscription columns are never touched, and a
 * row whose only change would be its time is not written (the ON CONFLICT … WHERE). A conversation
 * id belongs to one tenant: when it first appears in a tenant, another tenant's row for it (and so
 * its subscription) is deleted, as the embedded book moves it. That delete is the one statement that
 * reaches past its tenant, and it runs only for a conversation new to the tenant. It answers the
 * person: the row written, or else the row as it stood.
 */
const REMEMBER = `
WITH person AS (
  INSERT INTO known_people AS p (tenant_id, person_key, user_id, aad_object_id, name, locale, time_zone, email, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (tenant_id, person_key) DO UPDATE SET
    user_id = EXCLUDED.user_id,
    aad_object_id = EXCLUDED.aad_object_id,
    name = COALESCE(EXCLUDED.name, p.name),
    locale = COALESCE(EXCLUDED.locale, p.locale),
    time_zone = COALESCE(EXCLUDED.time_zone, p.time_zone),
    email = COALESCE(EXCLUDED.email, p.email),
    updated_at = EXCLUDED.updated_at
  WHERE (p.user_id, p.aad_object_id, p.name, p.locale, p.time_zone, p.email) IS DISTINCT FROM
    (EXCLUDED.user_id, EXCLUDED.aad_object_id, COALESCE(EXCLUDED.name, p.name), COALESCE(EXCLUDED.locale, p.locale),
     COALESCE(EXCLUDED.time_zone, p.time_zone), COALESCE(EXCLUDED.email, p.email))
  RETURNING p.*
), conversation AS (
INSERT INTO known_conversations AS c (tenant_id, conversation_id, scope, reference, user_key, locale, time_zone, updated_at)
VALUES ($1, $10, $11, $12, $2, $13, $14, $9)
ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET
  scope = EXCLUDED.scope,
  reference = EXCLUDED.reference,
  user_key = EXCLUDED.user_key,
  locale = COALESCE(EXCLUDED.locale, c.locale),
  time_zone = COALESCE(EXCLUDED.time_zone, c.time_zone),
  updated_at = EXCLUDED.updated_at
WHERE (c.scope, c.reference::text, c.user_key, c.locale, c.time_zone) IS DISTINCT FROM
  (EXCLUDED.scope, EXCLUDED.reference::text, EXCLUDED.user_key, COALESCE(EXCLUDED.locale, c.locale), COALESCE(EXCLUDED.time_zone, c.time_zone))
RETURNING xmax = 0 AS inserted
), moved AS (
DELETE FROM known_conversations AS other USING conversation
WHERE conversation.inserted AND other.conversation_id = $10 AND other.tenant_id <> $1
)
SELECT * FROM person
UNION ALL
SELECT * FROM known_people WHERE tenant_id = $1 AND person_key = $2 AND NOT EXISTS (SELECT FROM person)`;

/**
 * The conversation book in PostgreSQL (`known_people`, `known_conversations`), shared by every
 * instance: each operation is one statement on one tenant's rows, so concurrent instances never
 * lose each other's updates. Ids and keys are stored as `keyText`, as the ledger stores its keys.
 */
export class PostgresConversationBook implements ConversationBook {
  constructor(private readonly pool: pg.Pool) {}

  async remember(sighting: Sighting): Promise<KnownPerson> {
    const { conversation, person, at } = sighting;
    const tenantId = conversation.tenantId;
    const key = personKey(tenantId, person);
    const { rows } = await this.pool.query<PersonRow>(
      prepared(REMEMBER, [
        keyText(tenantId),
        keyText(key),
        person.userId,
        person.aadObjectId,
        person.name,
        person.locale,
        person.timeZone ?? null,
        person.email ?? null,
        at,
        keyText(conversation.id),
        conversation.scope,
        JSON.stringify(conversation.reference),
        conversation.locale,
        conversation.timeZone ?? null,
      ]),
    );
    const row = rows[0];
    if (row) return personOf(row);
    // Unchanged, but its row was committed by another instance after this statement's snapshot began: read it now.
    const known = await this.person(tenantId, key);
    if (!known) throw new Error(`The person ${key} was neither written nor found.`);
    return known;
  }

  /**
   * Adds people and conversations as they are, times and subscriptions included (`npm run
   * store:copy`); one already here is kept as it is.
   */
  async restore(people: readonly KnownPerson[], conversations: readonly KnownConversation[]): Promise<void> {
    for (const person of people) {
      await this.pool.query(
        `INSERT INTO known_people (tenant_id, person_key, user_id, aad_object_id, name, locale, time_zone, email, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, person_key) DO NOTHING`,
        [
          keyText(person.tenantId),
          keyText(person.key),
          person.userId,
          person.aadObjectId,
          person.name,
          person.locale,
          person.timeZone ?? null,
          person.email,
          person.updatedAt,
        ],
      );
    }
    for (const c of conversations) {
      // A subscription is only ever the conversation's own tenant's (the embedded book holds no other).
      const subscription = c.alertSubscription?.tenantId === c.tenantId ? c.alertSubscription : undefined;
      await this.pool.query(
        `INSERT INTO known_conversations (tenant_id, conversation_id, scope, reference, user_key, locale, time_zone, updated_at, subscribed_by, subscribed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tenant_id, conversation_id) DO NOTHING`,
        [
          keyText(c.tenantId),
          keyText(c.id),
          c.scope,
          JSON.stringify(c.reference),
          keyText(c.userKey),
          c.locale,
          c.timeZone ?? null,
          c.updatedAt,
          subscription ? keyText(subscription.by) : null,
          subscription?.at ?? null,
        ],
      );
    }
  }

  async setEmail(tenantId: string, key: string, email: string): Promise<void> {
    await this.pool.query('UPDATE known_people SET email = $3 WHERE tenant_id = $1 AND person_key = $2 AND email IS DISTINCT FROM $3', [
      keyText(tenantId),
      keyText(key),
      email,
    ]);
  }

  async subscribeToAlerts(conversationId: string, subscription: AlertSubscription): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE known_conversations SET subscribed_by = $3, subscribed_at = $4
       WHERE tenant_id = $1 AND conversation_id = $2 AND scope <> 'personal'`,
      [keyText(subscription.tenantId), keyText(conversationId), keyText(subscription.by), subscription.at],
    );
    return rowCount === 1;
  }

  async unsubscribeFromAlerts(conversationId: string, tenantId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE known_conversations SET subscribed_by = NULL, subscribed_at = NULL
       WHERE tenant_id = $1 AND conversation_id = $2 AND subscribed_by IS NOT NULL`,
      [keyText(tenantId), keyText(conversationId)],
    );
    return rowCount === 1;
  }

  async forget(tenantId: string, conversationId: string): Promise<void> {
    await this.pool.query('DELETE FROM known_conversations WHERE tenant_id = $1 AND conversation_id = $2', [keyText(tenantId), keyText(conversationId)]);
  }

  async conversation(tenantId: string, conversationId: string): Promise<KnownConversation | undefined> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM known_conversations WHERE tenant_id = $1 AND conversation_id = $2', [
      keyText(tenantId),
      keyText(conversationId),
    ]);
    return rows[0] && conversationOf(rows[0]);
  }

  async conversationsOf(tenantId: string): Promise<KnownConversation[]> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM known_conversations WHERE tenant_id = $1 ORDER BY conversation_id', [
      keyText(tenantId),
    ]);
    return rows.map(conversationOf);
  }

  async person(tenantId: string, key: string): Promise<KnownPerson | undefined> {
    const { rows } = await this.pool.query<PersonRow>('SELECT * FROM known_people WHERE tenant_id = $1 AND person_key = $2', [keyText(tenantId), keyText(key)]);
    return rows[0] && personOf(rows[0]);
  }

  async peopleOf(tenantId: string): Promise<KnownPerson[]> {
    const { rows } = await this.pool.query<PersonRow>(prepared('SELECT * FROM known_people WHERE tenant_id = $1 ORDER BY person_key', [keyText(tenantId)]));
    return rows.map(personOf);
  }
}

const iso = (time: Date | string) => new Date(time).toISOString();

function personOf(row: PersonRow): KnownPerson {
  return {
    key: keyFromText(row.person_key),
    tenantId: keyFromText(row.tenant_id),
    userId: row.user_id,
    aadObjectId: row.aad_object_id,
    name: row.name,
    locale: row.locale,
    timeZone: row.time_zone,
    email: row.email,
    updatedAt: iso(row.updated_at),
  };
}

function conversationOf(row: ConversationRow): KnownConversation {
  return {
    id: keyFromText(row.conversation_id),
    tenantId: keyFromText(row.tenant_id),
    scope: row.scope,
    reference: row.reference,
    userKey: keyFromText(row.user_key),
    locale: row.locale,
    timeZone: row.time_zone,
    updatedAt: iso(row.updated_at),
    ...(row.subscribed_by &&
      row.subscribed_at && { alertSubscription: { tenantId: keyFromText(row.tenant_id), by: keyFromText(row.subscribed_by), at: iso(row.subscribed_at) } }),
  };
}
