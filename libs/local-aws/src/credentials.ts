/**
 * Credentials and region for talking to the local services: never real ones. Each local
 * service accepts any SigV4 signature; what a caller may do is decided by its role's policy
 * (see the local stack's IAM), not by these secrets.
 */
export const LOCAL_REGION = 'us-east-1';
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_AWS = { region: LOCAL_REGION, credentials: localCredentials } as const;
