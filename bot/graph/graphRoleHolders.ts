import { GraphError } from '@microsoft/microsoft-graph-client';
import type { DirectoryMailbox, GraphProblem, RoleHolderDirectory } from '../../services/graphPorts.js';
import { err, ok, type Result } from '../../services/result.js';
import { odataString } from './odataString.js';
import { readAll } from './pagedCollection.js';
import type { TenantGraph, TenantGraphClients } from './tenantGraphClients.js';

const USER_FIELDS = '$select=id,displayName,mail,preferredLanguage,accountEnabled';

interface DirectoryUser {
  id?: unknown;
  displayName?: unknown;
  mail?: unknown;
  preferredLanguage?: unknown;
  accountEnabled?: unknown;
}

/**
 * The mailboxes of a tenant's users who hold some directory roles, read with the tenant's token
 * (`RoleManagement.Read.Directory`, `User.Read.All`): each role's tenant-wide assignments, their
 * principals as users, or the users in a role-assignable group. Service principals have no mailbox.
 */
export class GraphRoleHolders implements RoleHolderDirectory {
  constructor(private readonly clients: TenantGraphClients) {}

  async mailboxesInRoles(tenantId: string, roleTemplateIds: readonly string[]): Promise<Result<DirectoryMailbox[], GraphProblem>> {
    const graph = this.clients.forTenant(tenantId);
    if (!graph.ok) return graph;
    const principals = new Set<string>();
    for (const roleTemplateId of roleTemplateIds) {
      const assignments = await readAll(graph.value, `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq ${odataString(roleTemplateId)}`);
      if (!assignments.ok) return assignments;
      for (const a of assignments.value as Array<{ principalId?: unknown; directoryScopeId?: unknown }>) {
        const tenantWide = a.directoryScopeId === undefined || a.directoryScopeId === null || a.directoryScopeId === '/';
        if (tenantWide && typeof a.principalId === 'string') principals.add(a.principalId);
      }
    }
    const mailboxes = new Map<string, DirectoryMailbox>();
    for (const principalId of principals) {
      const users = await usersOfPrincipal(graph.value, principalId);
      if (!users.ok) return users;
      for (const user of users.value) {
        const mailbox = toMailbox(user);
        if (mailbox) mailboxes.set(mailbox.userObjectId, mailbox);
      }
    }
    return ok([...mailboxes.values()]);
  }
}

/** A user principal is itself; a group stands for its users; anything else (an app) for nobody. */
async function usersOfPrincipal(graph: TenantGraph, principalId: string): Promise<Result<DirectoryUser[], GraphProblem>> {
  const id = encodeURIComponent(principalId);
  const user = await getUnlessNotFound(graph, `/users/${id}?${USER_FIELDS}`);
  if (!user.ok || user.value !== null) return user.ok ? ok([user.value as DirectoryUser]) : user;
  const group = await getUnlessNotFound(graph, `/groups/${id}?$select=id`);
  if (!group.ok) return group;
  if (group.value === null) return ok([]);
  const members = await readAll(graph, `/groups/${id}/transitiveMembers/microsoft.graph.user?${USER_FIELDS}`);
  return members.ok ? ok(members.value as DirectoryUser[]) : members;
}

async function getUnlessNotFound(graph: TenantGraph, path: string): Promise<Result<unknown, GraphProblem>> {
  try {
    return ok(await graph.client.api(path).get());
  } catch (error) {
    if (error instanceof GraphError && error.statusCode === 404) return ok(null);
    return err(graph.problem(error));
  }
}

function toMailbox(user: DirectoryUser): DirectoryMailbox | null {
  if (typeof user.id !== 'string' || typeof user.mail !== 'string' || !user.mail.includes('@') || user.accountEnabled === false) return null;
  return {
    userObjectId: user.id,
    displayName: typeof user.displayName === 'string' && user.displayName ? user.displayName : null,
    address: user.mail,
    preferredLanguage: typeof user.preferredLanguage === 'string' && user.preferredLanguage ? user.preferredLanguage : null,
  };
}
