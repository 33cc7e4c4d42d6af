import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { err, ok, type Result } from '../../services/result.js';
import type { GraphSettings } from './graphSettings.js';

/**
 * A new credential (with an empty token cache) that signs the app in to `tenantId`, or why none
 * can. The configured authority is trusted as given, which is what lets national clouds (and the
 * test suite's token service) work: no instance discovery against the worldwide cloud.
 */
export function appCredentialFor(settings: GraphSettings, tenantId: string): Result<TokenCredential, string> {
  const options = { authorityHost: settings.authorityHost, disableInstanceDiscovery: true };
  const source = settings.credential;
  try {
    switch (source.kind) {
      case 'secret':
        return ok(new ClientSecretCredential(tenantId, settings.clientId, source.secret, options));
      case 'certificate':
        return ok(new ClientCertificateCredential(tenantId, settings.clientId, { certificatePath: source.certificatePath }, options));
      case 'managed-identity':
        // A managed identity's token is always for its own tenant: using it for another would read the wrong tenant's data.
        if (tenantId.toLowerCase() !== settings.homeTenantId?.toLowerCase()) {
          return err(
            `the managed identity signs in to tenant ${settings.homeTenantId} only; other tenants need AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH`,
          );
        }
        return ok(new ManagedIdentityCredential({ clientId: settings.clientId }));
    }
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
}
