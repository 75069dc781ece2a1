// A strict, standards-conforming OpenID Connect provider for the sign-on tests: the certified
// `oidc-provider` from the npm registry, on loopback. Run by tests/strict_provider.py:
//   node provider.mjs CONFIG.json
// CONFIG: {port, client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//          accounts_file, id_token_ttl}
// The accounts file ({login: {name, email, groups}}) is read at every sign-in and every
// userinfo call, so a test can take someone out of a group while they are signed in.
// As configured here, like most real providers: code flow with PKCE, `prompt=select_account`
// refused (oidc-provider supports login, consent and none), groups only through userinfo
// (conformIdTokenClaims), and RP-initiated logout only to a registered address.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = () => JSON.parse(readFileSync(config.accounts_file, 'utf8'));
const SCOPE = 'openid email profile groups';

const provider = new Provider(`http://127.0.0.1:${config.port}`, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    post_logout_redirect_uris: config.post_logout_redirect_uris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  scopes: SCOPE.split(' '),
  claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
  async findAccount(ctx, id) {
    if (!(id in accounts())) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts()[id] }) };
  },
  // A first-party client: consent is granted without a second page.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(SCOPE);
    await grant.save();
    session.grantIdFor(client.clientId, grant.jti);
    return grant;
  },
  ttl: { IdToken: config.id_token_ttl ?? 3600, AccessToken: config.id_token_ttl ?? 3600 },
  cookies: { keys: ['test-only-cookie-key'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
});
provider.proxy = false;
provider.listen(config.port, '127.0.0.1', () => console.log(`listening ${provider.issuer}`));
