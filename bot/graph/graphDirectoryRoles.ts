import type { DirectoryRoleReader, GraphProblem } from '../../services/graphPorts.js';
import { err, ok, type Result } from '../../services/result.js';
import { readAll } from './pagedCollection.js';
import { odataString } from './odataString.js';
import type { TenantGraph, TenantGraphClients } from './tenantGraphClients.js';

/**
 * A user's directory roles, from two sources asked together: the user's own role assignments
 * (`roleDefinitionId` is the template id for built-in roles; tenant-wide scope only) and the
 * activated roles the user holds through transitive membership (role-assignable groups). Roles only
 * add rights, so whatever one source names holds even when the other cannot be asked.
 */
export class GraphDirectoryRoles implements DirectoryRoleReader {
  constructor(private readonly clients: TenantGraphClients) {}

  async rolesOf(tenantId: string, userObjectId: string): Promise<Result<{ roleTemplateIds: string[]; incomplete: GraphProblem | null }, GraphProblem>> {
    const graph = this.clients.forTenant(tenantId);
    if (!graph.ok) return graph;
    const sources = await Promise.all([assignedRoles(graph.value, userObjectId), memberRoles(graph.value, userObjectId)]);
    const roleTemplateIds = new Set<string>();
    const problems: GraphProblem[] = [];
    for (const source of sources) {
      if (source.ok) source.value.forEach((id) => roleTemplateIds.add(id));
      else problems.push(source.error);
    }
    if (problems.length === sources.length) return err(problems[0]!);
    return ok({ roleTemplateIds: [...roleTemplateIds], incomplete: problems[0] ?? null });
  }
}

async function assignedRoles(graph: TenantGraph, userObjectId: string): Promise<Result<string[], GraphProblem>> {
  const assignments = await readAll(graph, `/roleManagement/directory/roleAssignments?$filter=principalId eq ${odataString(userObjectId)}`);
  if (!assignments.ok) return assignments;
  return ok(
    (assignments.value as Array<{ roleDefinitionId?: unknown; directoryScopeId?: unknown }>)
      // A role scoped to an administrative unit is not a tenant-wide role.
      .filter((a) => a.directoryScopeId === undefined || a.directoryScopeId === null || a.directoryScopeId === '/')
      .map((a) => a.roleDefinitionId)
      .filter((id): id is string => typeof id === 'string'),
  );
}

async function memberRoles(graph: TenantGraph, userObjectId: string): Promise<Result<string[], GraphProblem>> {
  const roles = await readAll(graph, `/users/${encodeURIComponent(userObjectId)}/transitiveMemberOf/microsoft.graph.directoryRole`);
  if (!roles.ok) return roles;
  return ok((roles.value as Array<{ roleTemplateId?: unknown }>).map((r) => r.roleTemplateId).filter((id): id is string => typeof id === 'string'));
}
