/** Application permissions the fake Graph checks, the least privileged one per kind of call: what a tenant grants by default. */
export const PERMISSIONS = ['CallRecord-PstnCalls.Read.All', 'RoleManagement.Read.Directory', 'User.Read.All', 'Mail.Send'] as const;
/** Those, and the broader permission Graph also accepts for the PSTN call log. */
export type Permission = (typeof PERMISSIONS)[number] | 'CallRecords.Read.All';

export interface FakeUser {
  id: string;
  mail: string | null;
  preferredLanguage: string | null;
  accountEnabled: boolean;
}

export interface FakeRoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

/**
 * One tenant of the fake cloud: whether the app may sign in to it, the permissions its admin
 * granted, its PSTN call log (rows published as they "arrive"), users, groups and role assignments.
 */
export class FakeTenant {
  /** How the token service answers the app for this tenant. */
  signIn: 'ok' | 'app-not-in-tenant' | 'no-service-principal' = 'ok';
  readonly granted = new Set<Permission>(PERMISSIONS);
  readonly callLog: Array<Record<string, unknown>> = [];
  readonly users = new Map<string, FakeUser>();
  readonly groups = new Map<string, string[]>();
  readonly roleAssignments: FakeRoleAssignment[] = [];
  readonly sentMail: Array<{ sender: string; to: string[]; subject: string; contentType: string; content: string }> = [];

  constructor(readonly id: string) {}

  /** Rows reach the call log late: a test publishes them when they "arrive". */
  publishCalls(...rows: Array<Record<string, unknown>>): void {
    this.callLog.push(...rows);
  }

  addUser(user: Partial<FakeUser> & { id: string }, roleTemplateIds: readonly string[] = []): FakeUser {
    const full: FakeUser = { mail: `${user.id}@contoso.example`, preferredLanguage: null, accountEnabled: true, ...user };
    this.users.set(full.id, full);
    for (const role of roleTemplateIds) this.assignRole(full.id, role);
    return full;
  }

  addGroup(id: string, memberIds: string[], roleTemplateIds: readonly string[] = []): void {
    this.groups.set(id, memberIds);
    for (const role of roleTemplateIds) this.assignRole(id, role);
  }

  assignRole(principalId: string, roleDefinitionId: string, directoryScopeId = '/'): void {
    this.roleAssignments.push({ id: `ra-${this.roleAssignments.length + 1}`, principalId, roleDefinitionId, directoryScopeId });
  }

  /** The tenant-wide roles a user holds directly or through a group: what transitiveMemberOf lists. */
  activatedRolesOf(userId: string): string[] {
    const principals = new Set([userId, ...[...this.groups].filter(([, members]) => members.includes(userId)).map(([id]) => id)]);
    return [...new Set(this.roleAssignments.filter((a) => principals.has(a.principalId) && a.directoryScopeId === '/').map((a) => a.roleDefinitionId))];
  }
}
