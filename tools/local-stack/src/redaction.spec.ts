import { isSecretName, REDACTED, redactLine, redactObject, Redactor } from './redaction';

// Shapes of real tokens: a Cognito ID/access token and cognito-local's refresh token are JWS
// (three parts); Amazon Cognito's refresh token is a JWE (five parts).
const JWS = 'eyJraWQiOiJDb2duaXRvTG9jYWwiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMiLCJ0b2tlbl91c2UiOiJpZCJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const JWE = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFn';
const PASSWORD = 'Corr3ct-Horse!';
const HASH = 'q0bCXd3Yb9TnH3Yl1cRAQ0kW7a0oRj2m3S6sS1Ee0ms=';

describe('isSecretName', () => {
  it.each(['Password', 'PASSWORD', 'NEW_PASSWORD', 'PreviousPassword', 'ProposedPassword', 'TemporaryPassword', 'SecretHash', 'SECRET_HASH', 'ClientSecret',
    'userPoolClientSecret', 'SHARED_SECRET', 'x-api-secret', 'AWS_SECRET_ACCESS_KEY', 'IdToken', 'AccessToken', 'RefreshToken', 'REFRESH_TOKEN', 'RefreshTokens',
    'id_token', 'refresh_token', 'AWS_SESSION_TOKEN', 'authorization', 'Authorization', 'Cookie', 'set-cookie', 'Session', 'x-api-key'])('%s is a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });
  it.each(['NextToken', 'next_token', 'PaginationToken', 'token_use', 'Username', 'email', 'sub', 'order_id', 'Idempotency-Key', 'RefreshTokenValidity', 'message', 'code'])(
    '%s is not',
    (name) => {
      expect(isSecretName(name)).toBe(false);
    },
  );
});

describe('redactLine', () => {
  it('redacts every secret field of a JSON line, at any depth, and keeps it JSON', () => {
    // cognito-local's debug line for a saved user, and an InitiateAuth request.
    const line = JSON.stringify({
      level: 20,
      msg: 'DataStore.set',
      value: { Username: 'u-1', Password: PASSWORD, RefreshTokens: [JWS], Attributes: [{ Name: 'email', Value: 'a@example.com' }], Enabled: true },
      req: { AuthParameters: { USERNAME: 'a@example.com', PASSWORD, SECRET_HASH: HASH, REFRESH_TOKEN: JWS }, ClientId: 'client-1' },
      next_token: 'page-2',
    });
    const out = JSON.parse(redactLine(line)) as { value: unknown; req: { AuthParameters: unknown; ClientId: string }; next_token: string };
    expect(out.value).toEqual({ Username: 'u-1', Password: REDACTED, RefreshTokens: REDACTED, Attributes: [{ Name: 'email', Value: 'a@example.com' }], Enabled: true });
    expect(out.req.AuthParameters).toEqual({ USERNAME: 'a@example.com', PASSWORD: REDACTED, SECRET_HASH: REDACTED, REFRESH_TOKEN: REDACTED });
    expect(out.req.ClientId).toBe('client-1');
    expect(out.next_token).toBe('page-2');
  });

  it('keeps the tag a source printed before a JSON line', () => {
    expect(redactLine(`[get-orders] {"headers":{"Authorization":"${JWS}"},"path":"/orders"}`)).toBe(`[get-orders] {"headers":{"Authorization":"${REDACTED}"},"path":"/orders"}`);
  });

  it('redacts tokens by their shape wherever they are: in a message, under any name, in a text line', () => {
    expect(redactLine(JSON.stringify({ message: `refused ${JWS} (expired)`, anything: JWE }))).toBe(JSON.stringify({ message: `refused ${REDACTED} (expired)`, anything: REDACTED }));
    expect(redactLine(`GET /orders Authorization: Bearer ${JWS}`)).not.toContain(JWS);
    expect(redactLine(`token ${JWE} and ${JWS}.`)).toBe(`token ${REDACTED} and ${REDACTED}.`);
    expect(redactLine('curl -H "Authorization: Bearer abc.def" x')).toBe(`curl -H "Authorization: Bearer ${REDACTED}" x`);
  });

  it('redacts secret fields written as text: name=value, name: value, "name": "value", util.inspect', () => {
    expect(redactLine(`--env authorizer:SHARED_SECRET=${PASSWORD} --env get-orders:X=1`)).toBe(`--env authorizer:SHARED_SECRET=${REDACTED} --env get-orders:X=1`);
    expect(redactLine(`/login?user=a&password=${PASSWORD}&next=/`)).toBe(`/login?user=a&password=${REDACTED}&next=/`);
    expect(redactLine(`x-api-secret: ${PASSWORD}`)).toBe(`x-api-secret: ${REDACTED}`);
    expect(redactLine(`{ Password: '${PASSWORD}', Username: 'u' }`)).toBe(`{ Password: ${REDACTED}, Username: 'u' }`);
    // cognito-local prints an unsupported request's body inside its message, indented
    const body = JSON.stringify({ ClientId: 'c', SecretHash: HASH, Password: PASSWORD }, null, 2);
    const out = redactLine(JSON.stringify({ level: 30, msg: body }));
    expect(out).not.toContain(HASH);
    expect(out).not.toContain(PASSWORD);
    expect((JSON.parse(out) as { msg: string }).msg).toContain('"ClientId": "c"');
  });

  it('leaves lines without secrets as they are', () => {
    for (const line of [
      '[gateway] GET /dev/orders → 401 (2 ms)',
      '[cognito] confirmation code for a@example.com (user 0b7e-11): 123456',
      'INFO  request refused (reason: token expired)',
      '[workflow] execution 4f1c… SUCCEEDED',
      '{"level":"INFO","message":"listed","token_use":"id","next_token":"abc"}',
      'Password did not conform with policy: Password not long enough',
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc',
    ]) {
      expect(redactLine(line)).toBe(line);
    }
  });

  it('is idempotent: a redacted line stays as it is', () => {
    const once = redactLine(`password=${PASSWORD} token: ${JWS} {"Password":"x"}`);
    expect(redactLine(once)).toBe(once);
  });
});

describe('redactObject', () => {
  it('redacts objects deeply, leaving the input as it was', () => {
    const input = { a: { ClientSecret: 's3cr3t-value', list: [{ IdToken: JWS }] }, b: 1 };
    expect(redactObject(input)).toEqual({ a: { ClientSecret: REDACTED, list: [{ IdToken: REDACTED }] }, b: 1 });
    expect(input.a.ClientSecret).toBe('s3cr3t-value');
  });
});

describe('Redactor', () => {
  it('also redacts the secrets it was told, wherever they appear, but nothing shorter than 8 characters', () => {
    const clientSecret = '1n0v5mcb8brb4sb8hd6dbsr3mcb8t3sd4i1mq2fc0fc6h8d9cmsg';
    const r = new Redactor().remember(clientSecret, 'short', undefined);
    expect(r.line(`computed with ${clientSecret}!`)).toBe(`computed with ${REDACTED}!`);
    expect(r.line('a short line')).toBe('a short line');
    expect(r.line(JSON.stringify({ note: `x${clientSecret}x` }))).toBe(JSON.stringify({ note: `x${REDACTED}x` }));
  });
});
