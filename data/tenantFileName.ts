import { createHash } from 'node:crypto';

/**
 * A file name for an untrusted tenant id: a readable prefix of safe characters plus a hash of the
 * exact id, so two ids never share a file (not even on a case-insensitive file system) and no id
 * can climb out of its folder. The id itself is stored inside the files.
 */
export function tenantFileName(tenantId: string): string {
  const readable = tenantId
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '_')
    .slice(0, 40);
  const hash = createHash('sha256').update(tenantId, 'utf8').digest('hex').slice(0, 16);
  return `${readable}~${hash}`;
}
