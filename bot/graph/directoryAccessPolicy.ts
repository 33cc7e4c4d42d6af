import { BoundedCache } from '../../services/boundedCache.js';
import { permissionsFromRoles, type AccessDecision, type AccessPolicy } from '../../services/access.js';
import type { DirectoryRoleReader, GraphProblem } from '../../services/graphPorts.js';
import type { Clock } from '../../services/ports.js';

export const ROLE_CACHE_MS = 5 * 60_000;

type User = Parameters<AccessPolicy['decide']>[0];

/**
 * Who may do what from the user's directory roles (SPEC §1.12), when Graph is configured. The
 * allow-list policy is asked first and stands when it grants. A definite answer from the directory
 * is kept a few minutes per tenant and user; when the directory cannot be asked it fails closed:
 * no rights, and the reason, so the bot can say why.
 */
export class DirectoryAccessPolicy implements AccessPolicy {
  private readonly cache = new BoundedCache<string, { decision: AccessDecision; until: number }>(10_000);

  constructor(
    private readonly allowList: AccessPolicy,
    private readonly roles: DirectoryRoleReader,
    private readonly clock: Clock,
  ) {}

  async decide(user: User): Promise<AccessDecision> {
    const allowed = await this.allowList.decide(user);
    if (allowed.ok) return allowed;
    if (!user.aadObjectId) return { ok: false, reason: 'directory-unavailable', detail: 'the activity carries no Microsoft Entra user id to look up' };
    const key = `${user.tenantId.toLowerCase()}/${user.aadObjectId.toLowerCase()}`;
    const now = this.clock.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.decision;
    const decision = await this.askDirectory(user.tenantId, user.aadObjectId);
    if (decision.ok || decision.reason === 'not-admin') this.cache.set(key, { decision, until: now + ROLE_CACHE_MS });
    return decision;
  }

  private async askDirectory(tenantId: string, userObjectId: string): Promise<AccessDecision> {
    const roles = await this.roles.rolesOf(tenantId, userObjectId);
    if (!roles.ok) return failClosed(roles.error);
    const permissions = permissionsFromRoles(roles.value.roleTemplateIds);
    if (permissions.size > 0) return { ok: true, permissions, via: 'directory' };
    // No role found, but a source was not asked: it might have named one, so nobody can tell.
    if (roles.value.incomplete) return failClosed(roles.value.incomplete);
    return { ok: false, reason: 'not-admin' };
  }
}

function failClosed(problem: GraphProblem): AccessDecision {
  if (problem.kind === 'no-consent') return { ok: false, reason: 'no-consent', detail: problem.message, consentUrl: problem.consentUrl };
  return { ok: false, reason: 'directory-unavailable', detail: problem.message };
}
