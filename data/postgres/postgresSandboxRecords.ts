import type pg from 'pg';
import type { SandboxRecords, StoredCharge, TestCardId } from '../../services/payments/sandboxGateway.js';
import { keyFromText, keyText } from './keyText.js';
import { prepared } from './prepared.js';

interface ChargeRow {
  tenant_id: string;
  idempotency_key: string;
  amount_minor: string;
  currency: string;
  purpose: StoredCharge['purpose'];
  actor: string;
  outcome: StoredCharge['outcome'];
  charged_at: Date;
}

/** The sandbox gateway's cards and charges in PostgreSQL (`sandbox_cards`, `sandbox_charges`), shared by every instance. */
export class PostgresSandboxRecords implements SandboxRecords {
  constructor(private readonly pool: pg.Pool) {}

  async chosenCard(tenantId: string): Promise<TestCardId | null | undefined> {
    const { rows } = await this.pool.query<{ card: TestCardId | null }>(prepared('SELECT card FROM sandbox_cards WHERE tenant_id = $1', [keyText(tenantId)]));
    return rows[0]?.card;
  }

  async chooseCard(tenantId: string, card: TestCardId | null): Promise<void> {
    await this.pool.query('INSERT INTO sandbox_cards (tenant_id, card) VALUES ($1, $2) ON CONFLICT (tenant_id) DO UPDATE SET card = EXCLUDED.card', [
      keyText(tenantId),
      card,
    ]);
  }

  async charge(tenantId: string, idempotencyKey: string): Promise<StoredCharge | undefined> {
    const { rows } = await this.pool.query<ChargeRow>('SELECT * FROM sandbox_charges WHERE tenant_id = $1 AND idempotency_key = $2', [
      keyText(tenantId),
      keyText(idempotencyKey),
    ]);
    return rows[0] && chargeOf(rows[0]);
  }

  async recordCharge(charge: StoredCharge): Promise<StoredCharge> {
    // The first for a key wins: a second insert does nothing, and the one kept is read (in a statement of its own, which sees it committed).
    const { rows } = await this.pool.query<ChargeRow>(
      `INSERT INTO sandbox_charges (tenant_id, idempotency_key, amount_minor, currency, purpose, actor, outcome, charged_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
       RETURNING *`,
      [
        keyText(charge.tenantId),
        keyText(charge.idempotencyKey),
        charge.amountMinor,
        charge.currency,
        charge.purpose,
        charge.actor,
        JSON.stringify(charge.outcome),
        charge.at,
      ],
    );
    const kept = rows[0] ? chargeOf(rows[0]) : await this.charge(charge.tenantId, charge.idempotencyKey);
    if (!kept) throw new Error(`the sandbox charge ${charge.idempotencyKey} was neither recorded nor found`);
    return kept;
  }

  async chargesSince(since: number): Promise<StoredCharge[]> {
    const { rows } = await this.pool.query<ChargeRow>('SELECT * FROM sandbox_charges WHERE charged_at >= $1 ORDER BY charged_at, tenant_id, idempotency_key', [
      new Date(since),
    ]);
    return rows.map(chargeOf);
  }
}

function chargeOf(row: ChargeRow): StoredCharge {
  return {
    tenantId: keyFromText(row.tenant_id),
    idempotencyKey: keyFromText(row.idempotency_key),
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    purpose: row.purpose,
    actor: row.actor,
    outcome: row.outcome,
    at: new Date(row.charged_at).toISOString(),
  };
}
