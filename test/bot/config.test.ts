import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';

const GUID = '3F2A8C1E-5B7D-4E9A-9C1F-2D4E6A8B0C1D';

describe('configuration', () => {
  it('reads configured tenant GUIDs in lower case, as the ledger keys them', () => {
    const config = loadConfig({ DEFAULT_TENANT_ID: GUID, GRAPH_TENANT_IDS: `${GUID}, 0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D`, AZURE_TENANT_ID: GUID });
    expect(config.defaultTenantId).toBe(GUID.toLowerCase());
    expect(config.graph.tenantIds).toEqual([GUID.toLowerCase(), '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d']);
    expect(config.graph.homeTenantId).toBe(GUID.toLowerCase());
  });

  it('keeps a tenant name that is not a GUID as written', () => {
    expect(loadConfig({ DEFAULT_TENANT_ID: 'Local-Dev' }).defaultTenantId).toBe('Local-Dev');
    expect(loadConfig({}).defaultTenantId).toBe('local');
  });

  it("reads the alert claims' lease in seconds, and refuses one too short to renew", () => {
    expect(loadConfig({}).alertLeaseMs).toBe(30_000);
    expect(loadConfig({ ALERT_LEASE_SECONDS: '5' }).alertLeaseMs).toBe(5_000);
    expect(() => loadConfig({ ALERT_LEASE_SECONDS: '0.5' })).toThrow(/ALERT_LEASE_SECONDS/);
  });
});
