import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface UserPoolArgs {
  readonly prefix: string;
}

/**
 * The auth flows of the app client: ADMIN_USER_PASSWORD_AUTH (ADMIN_NO_SRP_AUTH with a SECRET_HASH,
 * for existing clients: README, Compatibility), refresh, and USER_PASSWORD_AUTH for the command-line client.
 */
const CLIENT_AUTH_FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH'] as const;

/** The Cognito user pool (email as the username) and its app client (with a secret). */
export class UserPool extends pulumi.ComponentResource {
  readonly pool: aws.cognito.UserPool;
  readonly client: aws.cognito.UserPoolClient;

  constructor(name: string, args: UserPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:identity:UserPool', name, {}, opts);
    this.pool = new aws.cognito.UserPool(
      `${args.prefix}-users`,
      {
        usernameAttributes: ['email'],
        autoVerifiedAttributes: ['email'],
        passwordPolicy: { minimumLength: 8, temporaryPasswordValidityDays: 7 },
        accountRecoverySetting: { recoveryMechanisms: [{ name: 'verified_email', priority: 1 }] },
      },
      { parent: this },
    );
    this.client = new aws.cognito.UserPoolClient(
      `${args.prefix}-client`,
      {
        name: `${args.prefix}-client`,
        userPoolId: this.pool.id,
        generateSecret: true,
        explicitAuthFlows: [...CLIENT_AUTH_FLOWS],
        preventUserExistenceErrors: 'ENABLED',
        enableTokenRevocation: true,
      },
      { parent: this },
    );
    this.registerOutputs({ userPoolId: this.pool.id, userPoolClientId: this.client.id });
  }
}
