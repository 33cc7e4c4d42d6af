import { describe, expect, it } from 'vitest';
import { canonicalTenantId, isTenantGuid } from '../../services/tenantId.js';

describe('canonicalTenantId', () => {
  it('writes a tenant GUID in lower case, however it came', () => {
    for (const id of ['3F2A8C1E-5B7D-4E9A-9C1F-2D4E6A8B0C1D', '3f2a8c1e-5B7D-4e9a-9C1F-2d4e6a8b0c1d', '3f2a8c1e-5b7d-4e9a-9c1f-2d4e6a8b0c1d']) {
      expect(canonicalTenantId(id)).toBe('3f2a8c1e-5b7d-4e9a-9c1f-2d4e6a8b0c1d');
    }
  });

  it('keeps any other id as written', () => {
    for (const id of [
      'local',
      'Contoso',
      'tenant-A',
      '3F2A8C1E5B7D4E9A9C1F2D4E6A8B0C1D',
      '{3F2A8C1E-5B7D-4E9A-9C1F-2D4E6A8B0C1D}',
      '3F2A8C1E-5B7D-4E9A-9C1F-2D4E6A8B0C1DX',
    ]) {
      expect(canonicalTenantId(id)).toBe(id);
      expect(isTenantGuid(id)).toBe(false);
    }
  });
});
