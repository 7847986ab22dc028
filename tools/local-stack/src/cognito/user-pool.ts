import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { localCredentials } from '@serverless-orders/local-aws';

export interface UserPool {
  readonly poolId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly created: boolean;
}

/** The pool (email as username, passwords of at least 8) and its app client with a secret, as infra's UserPool component makes them: created once, then reused. */
export async function ensureUserPool(endpoint: string, region: string, names: { userPool: string; userPoolClient: string }): Promise<UserPool> {
  const cognito = new CognitoIdentityProviderClient({ endpoint, region, credentials: localCredentials });
  try {
    const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    let poolId = pools.UserPools?.find((p) => p.Name === names.userPool)?.Id;
    const created = !poolId;
    if (!poolId) {
      const { UserPool } = await cognito.send(
        new CreateUserPoolCommand({
          PoolName: names.userPool,
          UsernameAttributes: ['email'],
          AutoVerifiedAttributes: ['email'],
          Policies: { PasswordPolicy: { MinimumLength: 8, RequireLowercase: false, RequireUppercase: false, RequireNumbers: false, RequireSymbols: false } },
          Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
        }),
      );
      poolId = UserPool?.Id ?? '';
    }
    const clients = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }));
    let clientId = clients.UserPoolClients?.find((c) => c.ClientName === names.userPoolClient)?.ClientId;
    if (!clientId) {
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: names.userPoolClient,
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      clientId = UserPoolClient?.ClientId ?? '';
    }
    const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    return { poolId, clientId, clientSecret: UserPoolClient?.ClientSecret ?? '', created };
  } finally {
    cognito.destroy();
  }
}
