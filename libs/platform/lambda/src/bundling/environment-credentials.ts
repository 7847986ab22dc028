/**
 * Stands in for @aws-sdk/credential-provider-node in the Lambda bundles (an esbuild alias in
 * lambda-bundle.config.ts): every AWS SDK client's default credentials are the environment's.
 *
 * Lambda hands a function its role's credentials as AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN, and the local stack does the same for each function. The rest of the
 * SDK's default chain (SSO, INI files and processes, web identity through STS, ECS and EC2
 * metadata, with the nested STS and SSO clients it needs) can never find anything there, yet
 * weighs about 90 KiB in every bundle and is evaluated at each cold start.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];

/** What the SDK's clients call when no `credentials` are given: the environment's. */
export const defaultProvider = (init?: Init) => fromEnv(init);
