/** Who may do what (SPEC §1.12), decided from directory roles or the operator's allow-list. */

export type Permission = 'view' | 'manage';

/** Directory role template ids. */
export const ROLE_TEMPLATES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  billingAdministrator: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  teamsAdministrator: '69091246-20e8-4a56-aa4d-066075b2a7a8',
  teamsCommunicationsAdministrator: 'baf37b3a-610e-45da-9e62-d9d1e5e8914b',
  teamsTelephonyAdministrator: 'aa38014f-0993-46e9-9b45-30501a20909d',
} as const;

const MANAGING_ROLES = new Set<string>([ROLE_TEMPLATES.globalAdministrator, ROLE_TEMPLATES.billingAdministrator]);
const VIEWING_ROLES = new Set<string>([
  ROLE_TEMPLATES.teamsAdministrator,
  ROLE_TEMPLATES.teamsCommunicationsAdministrator,
  ROLE_TEMPLATES.teamsTelephonyAdministrator,
]);

/** Manage funds and settings: Global or Billing Administrator. View and get alerts: also the Teams admin roles. */
export function permissionsFromRoles(roleTemplateIds: Iterable<string>): Set<Permission> {
  const granted = new Set<Permission>();
  for (const id of roleTemplateIds) {
    const role = id.toLowerCase();
    if (MANAGING_ROLES.has(role)) granted.add('manage').add('view');
    else if (VIEWING_ROLES.has(role)) granted.add('view');
  }
  return granted;
}

/** What a user may do, or why nobody can tell (the directory could not be asked: fail closed). */
export type AccessDecision =
  | { ok: true; permissions: Set<Permission>; via: 'allow-list' | 'directory' | 'local-mode' }
  | {
      ok: false;
      reason: 'not-admin' | 'directory-unavailable' | 'no-consent';
      detail?: string;
      /** With `no-consent`: the page where an admin of the tenant grants the app its permissions. */
      consentUrl?: string;
    };

export const can = (decision: AccessDecision, permission: Permission): boolean => decision.ok && decision.permissions.has(permission);

/** Decides a user's access; the bot asks with the tenant from the activity, never from card data. */
export interface AccessPolicy {
  decide(user: { tenantId: string; aadObjectId: string | null; userId: string }): Promise<AccessDecision>;
}
