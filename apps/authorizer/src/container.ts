import { Container } from 'inversify';
import { AUTH_SCHEMES, type TokenVerifier } from '@serverless-orders/auth-domain';
import { CognitoTokenVerifier, cognitoSettingsFrom } from '@serverless-orders/auth-cognito';
import { OidcTokenVerifier, oidcSettingsFrom } from '@serverless-orders/auth-oidc';
import { SharedSecretVerifier, sharedSecretSettingsFrom } from '@serverless-orders/auth-shared-secret';
import { configFrom, provide, provideFrom, type ConfigReader, type Observability } from '@serverless-orders/platform-lambda';
import { RequestAuthorizer } from './request-authorizer';
import { AUTHORIZER_TOKENS } from './tokens';

/** The token scheme's verifier and the header it reads, chosen by AUTH_SCHEME. */
function verifierFor(config: ConfigReader): { verifier: TokenVerifier; header: string } {
  const scheme = config.oneOf('AUTH_SCHEME', AUTH_SCHEMES);
  switch (scheme) {
    case 'cognito':
      return { verifier: new CognitoTokenVerifier(cognitoSettingsFrom(config)), header: 'Authorization' };
    case 'oidc':
      return { verifier: new OidcTokenVerifier(oidcSettingsFrom(config)), header: 'Authorization' };
    case 'shared-secret': {
      const settings = sharedSecretSettingsFrom(config);
      return { verifier: new SharedSecretVerifier(settings), header: settings.header };
    }
  }
}

/**
 * The composition root: the one place that chooses the token scheme, from configuration
 * (settings per scheme: AUTHORIZER_SETTINGS in @serverless-orders/auth-domain). A missing
 * required setting fails here, at cold start, naming it.
 */
export function createContainer(obs: Observability, env: NodeJS.ProcessEnv = process.env): Container {
  const { verifier, header } = verifierFor(configFrom(env));
  const container = new Container({ defaultScope: 'Singleton' });
  provide(container, AUTHORIZER_TOKENS.TokenVerifier, verifier);
  provide(container, AUTHORIZER_TOKENS.Observability, obs);
  provide(container, AUTHORIZER_TOKENS.TokenHeader, header);
  provideFrom(
    container,
    AUTHORIZER_TOKENS.RequestAuthorizer,
    [AUTHORIZER_TOKENS.TokenVerifier, AUTHORIZER_TOKENS.Observability, AUTHORIZER_TOKENS.TokenHeader],
    (v, o, h) => new RequestAuthorizer(v, o, h),
  );
  return container;
}
