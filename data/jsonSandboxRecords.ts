import type { JsonDocument } from '../services/documentPort.js';
import type { SandboxRecords, StoredCharge, TestCardId } from '../services/payments/sandboxGateway.js';
import { openJsonDocument } from './jsonDocument.js';

/** The embedded store's `sandbox-gateway.json`. */
export interface SandboxState {
  /** The card on file per tenant, as an admin chose it. */
  cards: Record<string, TestCardId | null>;
  /** Every charge by `tenantId\0idempotencyKey`. */
  charges: Record<string, StoredCharge>;
}

export const emptySandboxState = (): SandboxState => ({ cards: {}, charges: {} });

const chargeKey = (tenantId: string, idempotencyKey: string) => `${tenantId}\u0000${idempotencyKey}`;

/** The sandbox gateway's cards and charges in one small JSON document (`DATA_DIR/sandbox-gateway.json`). */
export class JsonSandboxRecords implements SandboxRecords {
  constructor(private readonly document: JsonDocument<SandboxState>) {}

  static async open(file: string): Promise<JsonSandboxRecords> {
    return new JsonSandboxRecords(await openJsonDocument(file, emptySandboxState()));
  }

  /** Everything it holds (tests read it). */
  get data(): SandboxState {
    return this.document.data;
  }

  async chosenCard(tenantId: string): Promise<TestCardId | null | undefined> {
    const cards = this.document.data.cards;
    return Object.hasOwn(cards, tenantId) ? cards[tenantId]! : undefined;
  }

  async chooseCard(tenantId: string, card: TestCardId | null): Promise<void> {
    await this.document.update((state) => {
      state.cards[tenantId] = card;
    });
  }

  async charge(tenantId: string, idempotencyKey: string): Promise<StoredCharge | undefined> {
    const charge = this.document.data.charges[chargeKey(tenantId, idempotencyKey)];
    return charge && structuredClone(charge);
  }

  async recordCharge(charge: StoredCharge): Promise<StoredCharge> {
    const key = chargeKey(charge.tenantId, charge.idempotencyKey);
    await this.document.update((state) => {
      state.charges[key] ??= charge;
    });
    return structuredClone(this.document.data.charges[key]!);
  }

  async chargesSince(since: number): Promise<StoredCharge[]> {
    return structuredClone(Object.values(this.document.data.charges).filter((c) => Date.parse(c.at) >= since));
  }
}
