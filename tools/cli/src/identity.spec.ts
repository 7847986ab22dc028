import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import { CognitoIdentity, type CognitoSender } from './identity';
import type { PoolTarget } from './target';

const LOCAL: PoolTarget = { region: 'us-east-1', userPoolId: 'us-east-1_local', userPoolClientId: 'client', userPoolClientSecret: 'secret', endpoint: 'http://127.0.0.1:9229' };
const AWS: PoolTarget = { ...LOCAL, endpoint: undefined };

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

/** A user pool that answers each command type with a result or an error. */
function pool(answers: Record<string, unknown>) {
  const sent: object[] = [];
  const sender: CognitoSender = {
    send: jest.fn(async (command: object) => {
      sent.push(command);
      const answer = answers[command.constructor.name];
      if (answer instanceof Error) throw answer;
      return answer ?? {};
    }),
    destroy: jest.fn(),
  };
  return { sender, sent };
}

const tokens = { AuthenticationResult: { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh' } };

describe('CognitoIdentity', () => {
  it('signs in with USER_PASSWORD_AUTH and the SECRET_HASH of the app client’s secret', async () => {
    const { sender, sent } = pool({ InitiateAuthCommand: tokens });
    expect(await new CognitoIdentity(LOCAL, sender).login('a@b.c', 'passw0rd!')).toEqual({ idToken: 'id', accessToken: 'access', refreshToken: 'refresh' });
    const auth = (sent[0] as InitiateAuthCommand).input;
    expect(auth).toMatchObject({ AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a@b.c', PASSWORD: 'passw0rd!', SECRET_HASH: cognitoSecretHash('a@b.c', 'client', 'secret') } });
  });

  describe('says what went wrong at login', () => {
    it('locally, asks the pool whether the email exists: no user, then sign up', async () => {
      // cognito-local answers an unknown user with NotAuthorizedException "User not authorized".
      const { sender, sent } = pool({
        InitiateAuthCommand: awsError('NotAuthorizedException', 'User not authorized'),
        AdminGetUserCommand: awsError('UserNotFoundException', 'User does not exist.'),
      });
      await expect(new CognitoIdentity(LOCAL, sender).login('nobody@b.c', 'x')).rejects.toThrow('no user with that email; sign up first');
      expect(sent[1]).toBeInstanceOf(AdminGetUserCommand);
    });

    it('locally, a known email with a refused password is a wrong password', async () => {
      const { sender } = pool({ InitiateAuthCommand: awsError('InvalidPasswordException', 'Invalid password'), AdminGetUserCommand: { UserStatus: 'CONFIRMED' } });
      await expect(new CognitoIdentity(LOCAL, sender).login('a@b.c', 'nope')).rejects.toThrow(/^wrong password$/);
    });

    it('on Amazon Cognito (PreventUserExistenceErrors ENABLED) names both: the pool does not say which', async () => {
      const { sender, sent } = pool({ InitiateAuthCommand: awsError('NotAuthorizedException', 'Incorrect username or password.') });
      await expect(new CognitoIdentity(AWS, sender).login('a@b.c', 'nope')).rejects.toThrow('wrong email or password (no account yet? orders signup');
      expect(sent).toHaveLength(1);
    });

    it('an unconfirmed user is told to confirm; another refusal keeps the pool’s words', async () => {
      const unconfirmed = pool({ InitiateAuthCommand: awsError('UserNotConfirmedException', 'User is not confirmed.') });
      await expect(new CognitoIdentity(AWS, unconfirmed.sender).login('a@b.c', 'p')).rejects.toThrow('a@b.c is not confirmed yet: orders confirm --email a@b.c');
      const secret = pool({ InitiateAuthCommand: awsError('NotAuthorizedException', 'Unable to verify secret hash for client client'), AdminGetUserCommand: { UserStatus: 'CONFIRMED' } });
      await expect(new CognitoIdentity(LOCAL, secret.sender).login('a@b.c', 'p')).rejects.toThrow('Unable to verify secret hash');
    });
  });

  describe('says what went wrong at confirm', () => {
    it('without a code, confirms as the administrator; an unknown email is "no user"', async () => {
      const ok = pool({});
      await new CognitoIdentity(LOCAL, ok.sender).confirm('a@b.c');
      expect(ok.sent[0]).toBeInstanceOf(AdminConfirmSignUpCommand);
      // Amazon Cognito: UserNotFoundException; cognito-local: NotAuthorizedException.
      const aws = pool({ AdminConfirmSignUpCommand: awsError('UserNotFoundException', 'User does not exist.') });
      await expect(new CognitoIdentity(AWS, aws.sender).confirm('x@b.c')).rejects.toThrow('no user with that email; sign up first');
      const local = pool({
        AdminConfirmSignUpCommand: awsError('NotAuthorizedException', 'User not authorized'),
        AdminGetUserCommand: awsError('UserNotFoundException', 'User does not exist.'),
      });
      await expect(new CognitoIdentity(LOCAL, local.sender).confirm('x@b.c')).rejects.toThrow('no user with that email; sign up first');
    });

    it('an already confirmed user is told to log in; a wrong code is a wrong code', async () => {
      const again = pool({ AdminConfirmSignUpCommand: awsError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED') });
      await expect(new CognitoIdentity(AWS, again.sender).confirm('a@b.c')).rejects.toThrow('a@b.c is already confirmed; log in');
      const code = pool({ ConfirmSignUpCommand: awsError('CodeMismatchException', 'Invalid verification code provided, please try again.') });
      await expect(new CognitoIdentity(AWS, code.sender).confirm('a@b.c', '000000')).rejects.toThrow('wrong confirmation code');
      expect(code.sent[0]).toBeInstanceOf(ConfirmSignUpCommand);
    });
  });

  it('at signup, an existing email is told to log in and a refused password says why', async () => {
    const exists = pool({ SignUpCommand: awsError('UsernameExistsException', 'An account with the given email already exists.') });
    await expect(new CognitoIdentity(AWS, exists.sender).signUp('a@b.c', 'passw0rd!')).rejects.toThrow('a@b.c is already signed up; log in');
    const weak = pool({ SignUpCommand: awsError('InvalidPasswordException', 'Password not long enough') });
    await expect(new CognitoIdentity(AWS, weak.sender).signUp('a@b.c', 'short')).rejects.toThrow('the user pool refuses that password: Password not long enough');
    const ok = pool({ SignUpCommand: { UserConfirmed: false } });
    expect(await new CognitoIdentity(AWS, ok.sender).signUp('a@b.c', 'passw0rd!')).toEqual({ confirmed: false });
    expect((ok.sent[0] as SignUpCommand).input.UserAttributes).toEqual([{ Name: 'email', Value: 'a@b.c' }]);
  });
});
