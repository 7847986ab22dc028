import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { eventually, startStack, type StartedStack } from './local-stack.process';
import { call, newUser, type User } from './users';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sqs(outputs: Record<string, string>) {
  return new SQSClient({ endpoint: outputs.sqsEndpoint, region: outputs.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** The end-to-end behaviour both authorizer modes must show; `finalStatus` follows the failure rates given. */
export function orderSystemSuite(mode: 'cognito' | 'lambda', options: { args: string[]; finalStatus: 'SUCCESS' | 'FAILURE' }) {
  let stack: StartedStack;
  let outputs: Record<string, string>;
  let alice: User;
  let bob: User;

  beforeAll(async () => {
    stack = await startStack(['--authorizer', mode, '--visibility-timeout', '1', ...options.args]);
    outputs = stack.outputs;
    [alice, bob] = await Promise.all([newUser(outputs, 'alice'), newUser(outputs, 'bob')]);
  }, 90_000);

  afterAll(async () => {
    if (!stack) return;
    const code = await stack.stop();
    await stack.dispose();
    expect(code).toBe(0);
  }, 30_000);

  afterEach(() => {
    // On a failure, the stack's own log is the quickest explanation.
    const state = expect.getState();
    if (state.assertionCalls > 0 && state.numPassingAsserts < state.assertionCalls) process.stdout.write(stack.log());
  });

  describe(`the original's three requirements (${mode} authorizer)`, () => {
    it('no token → 401 Unauthorized', async () => {
      const response = await call(outputs, 'GET', '/orders');
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: 'Unauthorized' });
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('an empty token → 401', async () => {
      expect((await call(outputs, 'GET', '/orders', '')).status).toBe(401);
      expect((await call(outputs, 'POST', '/orders', '   ', { restaurant_id: 'r', item: 'i', quantity: 1 })).status).toBe(401);
    });

    it.each([
      ['garbage', () => 'not-a-token'],
      ['a tampered payload', () => tamper(alice.idToken, 1)],
      ['a tampered signature', () => tamper(alice.idToken, 2)],
      ['Bearer and garbage', () => 'Bearer abc.def.ghi'],
    ])('an invalid token (%s) → 401', async (_name, token) => {
      const response = await call(outputs, 'GET', '/orders', token());
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: 'Unauthorized' });
    });

    it('a valid token → the request passes, raw or after Bearer', async () => {
      const raw = await call(outputs, 'GET', '/orders', alice.idToken);
      expect(raw.status).toBe(200);
      expect(raw.body).toHaveProperty('items');
      expect((await call(outputs, 'GET', '/orders', `Bearer ${alice.idToken}`)).status).toBe(200);
    });
  });

  describe('the API', () => {
    it('an unknown route → 403 Missing Authentication Token', async () => {
      const response = await call(outputs, 'GET', '/nowhere', alice.idToken);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ message: 'Missing Authentication Token' });
    });

    it('the CORS preflight of any route path → 200 with its methods, without a token', async () => {
      for (const [path, methods] of [['/orders', 'POST,GET,PUT,OPTIONS'], ['/orders/some-id', 'GET,PUT,DELETE,OPTIONS']]) {
        const response = await fetch(`${outputs.apiUrl}${path}`, {
          method: 'OPTIONS',
          headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBe('*');
        expect(response.headers.get('access-control-allow-methods')).toBe(methods);
        expect(response.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type');
      }
      expect((await fetch(`${outputs.apiUrl}/nowhere`, { method: 'OPTIONS' })).status).toBe(403);
    });

    it('an invalid order body → 400, and nothing is queued', async () => {
      const response = await call(outputs, 'POST', '/orders', alice.idToken, { restaurant_id: 'r', item: 'i', quantity: 0 });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ message: 'Invalid request body' });
    });
  });

  describe('an order', () => {
    let orderId: string;

    beforeAll(async () => {
      const placed = await call(outputs, 'POST', '/orders', alice.idToken, { restaurant_id: 'r-42', item: 'margherita', quantity: '2' });
      expect(placed.status).toBe(202);
      orderId = String(placed.body.order_id);
    });

    it(`is placed with the order id its queue message names and reaches ${options.finalStatus}`, async () => {
      expect(orderId).toMatch(UUID);
      const started = Date.now();
      const order = await eventually(
        async () => {
          const r = await call(outputs, 'GET', `/orders/${orderId}`, alice.idToken);
          return r.status === 200 && ['SUCCESS', 'FAILURE'].includes(String(r.body.order_status)) ? r.body : undefined;
        },
        45_000,
        `order ${orderId} to reach its final status`,
      );
      process.stdout.write(`[${mode}] order ${orderId} reached ${order.order_status} in ${Date.now() - started} ms\n`);
      expect(order).toMatchObject({ id: orderId, user_id: alice.sub, restaurant_id: 'r-42', item: 'margherita', quantity: 2, order_status: options.finalStatus });
      if (options.finalStatus === 'FAILURE') expect(order.error_message).toEqual(expect.any(String));
    });

    it('is listed for its owner only', async () => {
      const mine = await call(outputs, 'GET', '/orders', alice.idToken);
      expect((mine.body.items as Array<{ id: string }>).map((o) => o.id)).toContain(orderId);
      const theirs = await call(outputs, 'GET', '/orders', bob.idToken);
      expect((theirs.body.items as Array<{ id: string }>).map((o) => o.id)).not.toContain(orderId);
    });

    it('another user cannot see, change or delete it: 404', async () => {
      expect((await call(outputs, 'GET', `/orders/${orderId}`, bob.idToken)).status).toBe(404);
      expect((await call(outputs, 'PUT', `/orders/${orderId}`, bob.idToken, { quantity: 5 })).status).toBe(404);
      expect((await call(outputs, 'DELETE', `/orders/${orderId}`, bob.idToken)).status).toBe(404);
      expect((await call(outputs, 'GET', `/orders/${orderId}`, alice.idToken)).body).toMatchObject({ id: orderId, quantity: 2 });
    });

    it('its notification arrives on the topic', async () => {
      const client = sqs(outputs);
      try {
        const notification = await eventually(
          async () => {
            const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: outputs.notificationQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
            for (const m of Messages ?? []) {
              await client.send(new DeleteMessageCommand({ QueueUrl: outputs.notificationQueueUrl, ReceiptHandle: m.ReceiptHandle }));
              const envelope = JSON.parse(m.Body ?? '{}') as { TopicArn?: string; Message?: string; Subject?: string };
              if (envelope.Message?.includes(orderId)) return envelope;
            }
            return undefined;
          },
          30_000,
          `the notification of ${orderId}`,
        );
        expect(notification.TopicArn).toBe(outputs.topicArn);
        expect(notification.Message).toContain(options.finalStatus);
      } finally {
        client.destroy();
      }
    });

    it('its workflow execution, named after the order, answers the Step Functions API', async () => {
      const client = new SFNClient({ endpoint: outputs.stepFunctionsEndpoint, region: outputs.region, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
      try {
        const executionArn = `${outputs.stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
        const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
        expect(execution).toMatchObject({ name: orderId, status: 'SUCCEEDED', stateMachineArn: outputs.stateMachineArn });
        expect(execution.startDate).toBeInstanceOf(Date);
      } finally {
        client.destroy();
      }
    });

    it('its owner can delete it', async () => {
      expect((await call(outputs, 'DELETE', `/orders/${orderId}`, alice.idToken)).status).toBe(204);
      expect((await call(outputs, 'GET', `/orders/${orderId}`, alice.idToken)).status).toBe(404);
    });
  });

  it('a burst of 12 orders goes through the queue in batches, and every one reaches its final status', async () => {
    const placed = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(outputs, 'POST', '/orders', bob.idToken, { restaurant_id: 'burst', item: `dish ${i}`, quantity: 1 })),
    );
    expect(placed.map((p) => p.status)).toEqual(Array(12).fill(202));
    const ids = placed.map((p) => String(p.body.order_id));
    expect(new Set(ids).size).toBe(12);
    await eventually(
      async () => {
        const orders = await Promise.all(ids.map((id) => call(outputs, 'GET', `/orders/${id}`, bob.idToken)));
        return orders.every((o) => o.status === 200 && o.body.order_status === options.finalStatus) ? true : undefined;
      },
      45_000,
      'the 12 orders to reach their final status',
    );
  });

  it('a client’s retry with the same Idempotency-Key is the same order; a malformed key is a 400 naming the header', async () => {
    const body = { restaurant_id: 'r-7', item: 'soup', quantity: 1 };
    const key = { 'Idempotency-Key': `retry-${mode}` };
    const first = await call(outputs, 'POST', '/orders', alice.idToken, body, key);
    const retry = await call(outputs, 'POST', '/orders', alice.idToken, body, key);
    const other = await call(outputs, 'POST', '/orders', bob.idToken, body, key);
    expect([first.status, retry.status, other.status]).toEqual([202, 202, 202]);
    expect(retry.body.order_id).toBe(first.body.order_id);
    expect(other.body.order_id).not.toBe(first.body.order_id);
    const bad = await call(outputs, 'POST', '/orders', alice.idToken, body, { 'Idempotency-Key': 'no spaces allowed' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'header.Idempotency-Key' })]);
    await eventually(
      async () => {
        const r = await call(outputs, 'GET', `/orders/${first.body.order_id}`, alice.idToken);
        return r.status === 200 && r.body.order_status === options.finalStatus ? true : undefined;
      },
      45_000,
      'the idempotent order to reach its final status',
    );
    const mine = await call(outputs, 'GET', '/orders?limit=100', alice.idToken);
    expect((mine.body.items as Array<{ item: string; restaurant_id: string }>).filter((o) => o.restaurant_id === 'r-7')).toHaveLength(1);
  });

  it('a body that is not JSON is 415, as the deployed integration answers', async () => {
    const response = await fetch(`${outputs.apiUrl}/orders`, {
      method: 'POST',
      headers: { Authorization: alice.idToken, 'Content-Type': 'text/plain' },
      body: '{"restaurant_id":"r","item":"i","quantity":1}',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ message: 'Unsupported Media Type' });
  });

  it('a message that is no order goes to the dead-letter queue at once, with its reason', async () => {
    const client = sqs(outputs);
    try {
      const marker = `{"not":"an order","mode":"${mode}"}`;
      await client.send(new SendMessageCommand({ QueueUrl: outputs.orderQueueUrl, MessageBody: marker }));
      const dead = await eventually(
        async () => {
          const { Messages } = await client.send(
            new ReceiveMessageCommand({ QueueUrl: outputs.deadLetterQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
          );
          return Messages?.find((m) => m.Body === marker);
        },
        40_000,
        'the poison message in the dead-letter queue',
      );
      expect(dead.MessageAttributes?.['dead-letter-reason']?.StringValue).toMatch(/^not an order: message\./);
    } finally {
      client.destroy();
    }
  });
}

/** Flips one character in a JWT segment (1: payload, 2: signature). */
function tamper(token: string, segment: 1 | 2): string {
  const parts = token.split('.');
  const s = parts[segment];
  const i = Math.floor(s.length / 2);
  parts[segment] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return parts.join('.');
}
