import type { AccessDecision, AccessPolicy, Permission } from '../../services/access.js';

const EVERYTHING: ReadonlySet<Permission> = new Set<Permission>(['view', 'manage']);

/**
 * Who may do what without the directory (SPEC §1.12): users in `ADMIN_USER_IDS` (by Entra object
 * id or Teams user id) manage and view; with no allow-list and no app credentials (local mode)
 * everyone is an admin of their own tenant; anyone else is refused. The directory-role policy
 * wraps this one when Graph is configured.
 */
export class AllowListAccessPolicy implements AccessPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    adminUserIds: readonly string[],
    private readonly localMode: boolean,
  ) {
    this.allowed = new Set(adminUserIds.map((id) => id.toLowerCase()));
  }

  static fromConfig(config: { adminUserIds: readonly string[]; bot: { authenticated: boolean } }): AllowListAccessPolicy {
    return new AllowListAccessPolicy(config.adminUserIds, !config.bot.authenticated && config.adminUserIds.length === 0);
  }

  async decide(user: { tenantId: string; aadObjectId: string | null; userId: string }): Promise<AccessDecision> {
    if (this.localMode) return { ok: true, permissions: new Set(EVERYTHING), via: 'local-mode' };
    const ids = [user.aadObjectId, user.userId].filter((id): id is string => Boolean(id)).map((id) => id.toLowerCase());
    if (ids.some((id) => this.allowed.has(id))) return { ok: true, permissions: new Set(EVERYTHING), via: 'allow-list' };
    return { ok: false, reason: 'not-admin' };
  }
}
