import type { TokenCredential } from '@azure/identity';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';

/**
 * App-only tokens for one tenant, cached by the credential until shortly before they expire.
 * `renew` drops the cache for when Graph refuses a token the credential still thinks is good
 * (revoked, or expired early by clock skew).
 */
export class RenewableTokenProvider implements AuthenticationProvider {
  private credential: TokenCredential;

  constructor(
    private readonly newCredential: () => TokenCredential,
    private readonly scope: string,
  ) {
    this.credential = newCredential();
  }

  async getAccessToken(): Promise<string> {
    const token = await this.credential.getToken(this.scope);
    if (!token) throw new Error(`no token was issued for ${this.scope}`);
    return token.token;
  }

  renew(): void {
    this.credential = this.newCredential();
  }
}
