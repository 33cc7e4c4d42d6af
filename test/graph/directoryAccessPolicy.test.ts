import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryAccessPolicy, ROLE_CACHE_MS } from '../../bot/graph/directoryAccessPolicy.js';
import { GraphDirectoryRoles } from '../../bot/graph/graphDirectoryRoles.js';
import { ROLE_TEMPLATES, type AccessDecision, type AccessPolicy } from '../../services/access.js';
import { TestClock } from '../support/memoryLedgerStore.js';
import type { FakeMicrosoftCloud } from './fakeCloud/fakeMicrosoftCloud.js';
import { fakeCloudClients, startFakeCloud } from './graphHarness.js';

let cloud: FakeMicrosoftCloud;
beforeAll(async () => {
  cloud = await startFakeCloud();
});
afterAll(() => cloud.close());
afterEach(() => cloud.clearFaults());

const ALLOWED_USER = 'allow-listed-object-id';

/** Stands in for the allow-list policy: grants one user, refuses everyone else. */
const allowList: AccessPolicy = {
  async decide(user) {
    return user.aadObjectId === ALLOWED_USER ? { ok: true, permissions: new Set(['view', 'manage']), via: 'allow-list' } : { ok: false, reason: 'not-admin' };
  },
};

function policyFixture() {
  const tenantId = randomUUID();
  const tenant = cloud.tenant(tenantId);
  const clock = new TestClock();
  const policy = new DirectoryAccessPolicy(allowList, new GraphDirectoryRoles(fakeCloudClients(cloud)), clock);
  const decide = (aadObjectId: string | null) => policy.decide({ tenantId, aadObjectId, userId: `29:${aadObjectId}` });
  const roleCalls = () => cloud.requests.filter((r) => r.tenantId === tenantId && /roleAssignments|transitiveMemberOf/.test(r.path)).length;
  return { tenantId, tenant, clock, decide, roleCalls };
}

const permissionsOf = (decision: AccessDecision) => (decision.ok ? [...decision.permissions].sort() : decision.reason);

describe('admin rights from directory roles (SPEC §1.12)', () => {
  it.each([
    ['Global Administrator', ROLE_TEMPLATES.globalAdministrator, ['manage', 'view']],
    ['Billing Administrator', ROLE_TEMPLATES.billingAdministrator, ['manage', 'view']],
    ['Teams Administrator', ROLE_TEMPLATES.teamsAdministrator, ['view']],
    ['Teams Communications Administrator', ROLE_TEMPLATES.teamsCommunicationsAdministrator, ['view']],
    ['Teams Telephony Administrator', ROLE_TEMPLATES.teamsTelephonyAdministrator, ['view']],
    ['User Administrator (no say over credits)', 'fe930be7-5e62-47db-91af-98c3a49a38b1', 'not-admin'],
  ])('%s', async (_name, roleTemplateId, expected) => {
    const f = policyFixture();
    f.tenant.addUser({ id: 'user-1' }, [roleTemplateId]);
    const decision = await f.decide('user-1');
    expect(permissionsOf(decision)).toEqual(expected);
    if (decision.ok) expect(decision.via).toBe('directory');
  });

  it('refuses a user with no role, and counts only tenant-wide assignments', async () => {
    const f = policyFixture();
    f.tenant.addUser({ id: 'nobody' });
    f.tenant.addUser({ id: 'unit-admin' });
    f.tenant.assignRole('unit-admin', ROLE_TEMPLATES.globalAdministrator, '/administrativeUnits/3c0f4c84-7a4e-4b4b-9d5e-4e2a0f1d9a10');
    expect(await f.decide('nobody')).toEqual({ ok: false, reason: 'not-admin' });
    expect(await f.decide('unit-admin')).toEqual({ ok: false, reason: 'not-admin' });
  });

  it('finds a role held through a role-assignable group', async () => {
    const f = policyFixture();
    f.tenant.addUser({ id: 'member' });
    f.tenant.addGroup('billing-admins', ['member'], [ROLE_TEMPLATES.billingAdministrator]);
    expect(permissionsOf(await f.decide('member'))).toEqual(['manage', 'view']);
  });

  it('lets the allow-list grant without asking the directory', async () => {
    const f = policyFixture();
    expect(await f.decide(ALLOWED_USER)).toMatchObject({ ok: true, via: 'allow-list' });
    expect(f.roleCalls()).toBe(0);
  });

  it('keeps an answer a few minutes per tenant and user', async () => {
    const f = policyFixture();
    f.tenant.addUser({ id: 'admin' }, [ROLE_TEMPLATES.globalAdministrator]);
    await f.decide('admin');
    const asked = f.roleCalls();
    f.clock.advance(ROLE_CACHE_MS - 1);
    expect(permissionsOf(await f.decide('admin'))).toEqual(['manage', 'view']);
    expect(f.roleCalls()).toBe(asked);

    // Demoted: noticed once the cached answer runs out.
    f.tenant.roleAssignments.length = 0;
    f.clock.advance(1);
    expect(await f.decide('admin')).toEqual({ ok: false, reason: 'not-admin' });
    expect(f.roleCalls()).toBeGreaterThan(asked);
  });

  describe('fails closed when the directory cannot be asked', () => {
    it('Graph keeps failing: no rights, and a reason', async () => {
      const f = policyFixture();
      f.tenant.addUser({ id: 'admin' }, [ROLE_TEMPLATES.globalAdministrator]);
      const outage = cloud.inject({ path: /roleAssignments|transitiveMemberOf/, times: 1_000, status: 503 });
      expect(await f.decide('admin')).toMatchObject({ ok: false, reason: 'directory-unavailable', detail: expect.stringMatching(/503/) });

      // Not remembered: once Graph answers again, so does the policy.
      outage.times = 0;
      expect(permissionsOf(await f.decide('admin'))).toEqual(['manage', 'view']);
    });

    it('one source fails and the other names no role: nobody can tell, so no rights', async () => {
      const f = policyFixture();
      f.tenant.addUser({ id: 'maybe' });
      cloud.inject({ path: /transitiveMemberOf/, times: 1_000, status: 500 });
      expect(await f.decide('maybe')).toMatchObject({ ok: false, reason: 'directory-unavailable' });
    });

    it('one source fails and the other names a role: that role stands (roles only add rights)', async () => {
      const f = policyFixture();
      f.tenant.addUser({ id: 'admin' }, [ROLE_TEMPLATES.teamsAdministrator]);
      cloud.inject({ path: /transitiveMemberOf/, times: 1_000, status: 500 });
      expect(permissionsOf(await f.decide('admin'))).toEqual(['view']);
    });

    it('the tenant has not consented to the app', async () => {
      const f = policyFixture();
      f.tenant.addUser({ id: 'admin' }, [ROLE_TEMPLATES.globalAdministrator]);
      f.tenant.signIn = 'app-not-in-tenant';
      expect(await f.decide('admin')).toMatchObject({
        ok: false,
        reason: 'no-consent',
        detail: expect.stringMatching(/AADSTS700016/),
        consentUrl: `${cloud.baseUrl}/${f.tenantId}/adminconsent?client_id=${cloud.clientId}`,
      });
    });

    it('the tenant has not granted RoleManagement.Read.Directory', async () => {
      const f = policyFixture();
      f.tenant.addUser({ id: 'admin' }, [ROLE_TEMPLATES.globalAdministrator]);
      f.tenant.granted.delete('RoleManagement.Read.Directory');
      expect(await f.decide('admin')).toMatchObject({ ok: false, reason: 'no-consent', detail: expect.stringMatching(/403/) });
    });

    it('the activity carries no Entra user id (the Emulator)', async () => {
      const f = policyFixture();
      expect(await f.decide(null)).toMatchObject({ ok: false, reason: 'directory-unavailable' });
      expect(f.roleCalls()).toBe(0);
    });
  });
});
