import type { PolicyDocument } from '@serverless-orders/function-catalogue';
import { LocalIam } from './local-iam';

// IAM decides each call from the role's policy as it is at the time of the call: a policy
// replaced (a role given a new one) takes effect at once, and a condition on the time of the
// request (aws:CurrentTime) is judged at each request.

const scope = { region: 'us-east-1', accountId: '000000000000' };
const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders';
const getItem = { action: 'dynamodb:GetItem', resource: table };
const allow = (statement: Record<string, unknown> = {}): PolicyDocument =>
  ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: table, ...statement }] }) as unknown as PolicyDocument;
const role = (policy: PolicyDocument) => ({ roleName: 'reader', sessionName: 'reader', policy });

describe('LocalIam decisions', () => {
  it('allows what the policy names and denies the rest, the same way on every call', async () => {
    const iam = new LocalIam(scope);
    const reader = role(allow());
    iam.assume(reader);
    for (let i = 0; i < 3; i++) {
      expect((await iam.authorize(reader, [getItem])).allowed).toBe(true);
      expect((await iam.authorize(reader, [{ action: 'dynamodb:PutItem', resource: table }])).allowed).toBe(false);
    }
  });

  it('a role given a new policy is judged by the new one at once', async () => {
    const iam = new LocalIam(scope);
    expect((await iam.authorize(role(allow()), [getItem])).allowed).toBe(true);
    const emptied = role({ Version: '2012-10-17', Statement: [] } as unknown as PolicyDocument);
    iam.assume(emptied);
    expect((await iam.authorize(emptied, [getItem])).allowed).toBe(false);
  });

  it('a condition on aws:CurrentTime is judged at each request', async () => {
    const iam = new LocalIam(scope);
    const from = new Date(Date.now() + 300).toISOString();
    const later = role(allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': from } } }));
    expect((await iam.authorize(later, [getItem])).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect((await iam.authorize(later, [getItem])).allowed).toBe(true);
  });
});
