import { ConfigError, type ConfigReader } from '@serverless-orders/config';
import { MIN_SHARED_SECRET_LENGTH, type SharedSecretSettings } from './shared-secret-verifier';

export interface SharedSecretSchemeSettings extends SharedSecretSettings {
  /** The header carrying the secret (raw or "Bearer <secret>"). */
  readonly header: string;
}

/**
 * The shared-secret scheme's settings, by the names published in
 * AUTHORIZER_SETTINGS['shared-secret']: SHARED_SECRET (required, ≥ 16 characters),
 * SHARED_SECRET_HEADER (default Authorization), SHARED_SECRET_PRINCIPAL (default shared-secret-client).
 */
export function sharedSecretSettingsFrom(config: ConfigReader): SharedSecretSchemeSettings {
  const secret = config.required('SHARED_SECRET');
  if (secret.length < MIN_SHARED_SECRET_LENGTH) {
    throw new ConfigError(`setting SHARED_SECRET is too short; expected at least ${MIN_SHARED_SECRET_LENGTH} characters`);
  }
  return {
    secret,
    header: config.optional('SHARED_SECRET_HEADER', 'Authorization') as string,
    principal: config.optional('SHARED_SECRET_PRINCIPAL', 'shared-secret-client') as string,
  };
}
