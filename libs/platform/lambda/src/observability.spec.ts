import { isRequestXRaySampled } from '@aws-lambda-powertools/commons/utils/env';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { createObservability, instrumented, requestSampled, type Observability } from './observability';

const contextOf = (requestId: string): Context =>
  ({
    awsRequestId: requestId,
    functionName: 'fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:fn',
    memoryLimitInMB: '256',
  }) as Context;

/** The JSON lines Powertools wrote while `run` ran. */
async function linesOf(run: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const written: string[] = [];
  const capture = (chunk: unknown) => (written.push(String(chunk)), true);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run().catch(() => undefined);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A cold start as Lambda makes it: an on-demand environment, observability built at load. */
function coldStartedObservability(): Observability {
  const before = process.env['AWS_LAMBDA_INITIALIZATION_TYPE'];
  process.env['AWS_LAMBDA_INITIALIZATION_TYPE'] = 'on-demand';
  try {
    return createObservability('observability-spec');
  } finally {
    if (before === undefined) delete process.env['AWS_LAMBDA_INITIALIZATION_TYPE'];
    else process.env['AWS_LAMBDA_INITIALIZATION_TYPE'] = before;
  }
}

describe('instrumented: the logger takes each invocation\'s context when a line needs it', () => {
  afterEach(() => jest.restoreAllMocks());

  it('costs Powertools\' key handling nothing in an invocation that writes no line', async () => {
    const obs = coldStartedObservability();
    const keyHandling = ['resetKeys', 'addContext', 'appendKeys', 'setCorrelationId'] as const;
    const spies = keyHandling.map((name) => jest.spyOn(Logger.prototype, name));
    await instrumented(obs, contextOf('r1'), 'c1', () => 'answer');
    expect(spies.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0, 0]);
  });

  it('puts the right invocation\'s request id, correlation id and cold start on every line', async () => {
    const obs = coldStartedObservability();
    const first = await linesOf(() => instrumented(obs, contextOf('r1'), 'c1', () => obs.logger.info('one')));
    await linesOf(() => instrumented(obs, contextOf('r2'), 'c2', () => 'writes nothing'));
    const third = await linesOf(() =>
      instrumented(obs, contextOf('r3'), 'c3', async () => {
        obs.logger.warn('three');
        obs.logger.error('three again');
      }),
    );
    expect(first).toEqual([expect.objectContaining({ message: 'one', function_request_id: 'r1', correlation_id: 'c1', cold_start: true })]);
    expect(third).toEqual([
      expect.objectContaining({ message: 'three', function_request_id: 'r3', correlation_id: 'c3', cold_start: false }),
      expect.objectContaining({ message: 'three again', function_request_id: 'r3', correlation_id: 'c3', cold_start: false }),
    ]);
  });

  it('reports the cold start on the first invocation only, even when that one writes nothing', async () => {
    const obs = coldStartedObservability();
    await linesOf(() => instrumented(obs, contextOf('r1'), 'c1', () => 'nothing written'));
    const second = await linesOf(() => instrumented(obs, contextOf('r2'), 'c2', () => obs.logger.info('two')));
    expect(second).toEqual([expect.objectContaining({ function_request_id: 'r2', cold_start: false })]);
  });

  it('keeps keys appended before the first line, and drops the previous invocation\'s', async () => {
    const obs = coldStartedObservability();
    await linesOf(() =>
      instrumented(obs, contextOf('r1'), 'c1', () => {
        obs.logger.appendKeys({ order_id: 'o-1' });
        obs.logger.info('one');
      }),
    );
    const second = await linesOf(() =>
      instrumented(obs, contextOf('r2'), 'c2', () => {
        expect(obs.logger.getCorrelationId()).toBe('c2');
        obs.logger.appendKeys({ payment: 'p-2' });
        obs.logger.info('two');
      }),
    );
    expect(second).toEqual([expect.objectContaining({ function_request_id: 'r2', correlation_id: 'c2', payment: 'p-2' })]);
    expect(second[0]).not.toHaveProperty('order_id');
  });

  it('leaves a line written outside any invocation alone', async () => {
    const obs = coldStartedObservability();
    const lines = await linesOf(async () => obs.logger.info('at load'));
    expect(lines).toEqual([expect.objectContaining({ message: 'at load' })]);
    expect(lines[0]).not.toHaveProperty('function_request_id');
  });
});

describe('instrumented: answers', () => {
  const obs = createObservability('observability-spec');

  it('resolves with what run answers, directly or through a promise', async () => {
    await expect(instrumented(obs, undefined, undefined, () => 42)).resolves.toBe(42);
    await expect(instrumented(obs, undefined, undefined, async () => 43)).resolves.toBe(43);
  });

  it('rejects with what run throws, directly or through a promise', async () => {
    const error = new Error('Unauthorized');
    await expect(
      instrumented(obs, undefined, undefined, () => {
        throw error;
      }),
    ).rejects.toBe(error);
    await expect(instrumented(obs, undefined, undefined, () => Promise.reject(error))).rejects.toBe(error);
  });
});

describe('instrumented: the ## handler subsegment, for sampled requests only', () => {
  const TRACE = 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8';
  let obs: Observability;
  let calls: string[];
  let closed: number;

  beforeEach(() => {
    obs = coldStartedObservability();
    calls = [];
    closed = 0;
    const subsegment = { close: () => (closed += 1) };
    const parent = { addNewSubsegment: (name: string) => (calls.push(`open ${name}`), subsegment) };
    jest.spyOn(obs.tracer, 'isTracingEnabled').mockReturnValue(true); // as in Lambda with active tracing
    jest.spyOn(obs.tracer, 'getSegment').mockReturnValue(parent as never);
    jest.spyOn(obs.tracer, 'setSegment').mockImplementation((segment) => void calls.push((segment as unknown) === parent ? 'restore parent' : 'set subsegment'));
    jest.spyOn(obs.tracer, 'annotateColdStart').mockImplementation(() => void calls.push('annotate cold start'));
    jest.spyOn(obs.tracer, 'addServiceNameAnnotation').mockImplementation(() => void calls.push('annotate service'));
    jest.spyOn(obs.tracer, 'addResponseAsMetadata').mockImplementation((data) => void calls.push(`response ${String(data)}`));
    jest.spyOn(obs.tracer, 'addErrorAsMetadata').mockImplementation((error) => void calls.push(`error ${error.message}`));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env['_X_AMZN_TRACE_ID'];
  });

  it('does no tracing work for a request X-Ray did not sample', async () => {
    process.env['_X_AMZN_TRACE_ID'] = `${TRACE};Sampled=0`;
    await expect(instrumented(obs, contextOf('r1'), 'c1', () => 'allowed')).resolves.toBe('allowed');
    expect(calls).toEqual([]);
  });

  it('opens, annotates, records and closes it for a sampled request, answered directly or later', async () => {
    process.env['_X_AMZN_TRACE_ID'] = `${TRACE};Sampled=1`;
    await instrumented(obs, contextOf('r1'), 'c1', () => 'allowed');
    await instrumented(obs, contextOf('r2'), 'c2', async () => 'later');
    const once = (response: string) => [
      'open ## handler',
      'set subsegment',
      'annotate cold start',
      'annotate service',
      `response ${response}`,
      'restore parent',
    ];
    expect(calls).toEqual([...once('allowed'), ...once('later')]);
    expect(closed).toBe(2);
  });

  it('records the error of a sampled request that fails, directly or later', async () => {
    process.env['_X_AMZN_TRACE_ID'] = `${TRACE};Sampled=1`;
    const fail = () => {
      throw new Error('Unauthorized');
    };
    await expect(instrumented(obs, contextOf('r1'), 'c1', fail)).rejects.toThrow('Unauthorized');
    await expect(instrumented(obs, contextOf('r2'), 'c2', async () => fail())).rejects.toThrow('Unauthorized');
    expect(calls.filter((call) => call.startsWith('error'))).toEqual(['error Unauthorized', 'error Unauthorized']);
    expect(closed).toBe(2);
    expect(calls.at(-1)).toBe('restore parent');
  });
});

describe('requestSampled', () => {
  afterEach(() => {
    delete process.env['_X_AMZN_TRACE_ID'];
    delete (globalThis as { awslambda?: unknown }).awslambda;
  });

  const ROOT = 'Root=1-5759e988-bd862e3fe1be46a994272793';
  it.each([
    `${ROOT};Parent=557abcec3ee5a047;Sampled=1`,
    `${ROOT};Parent=557abcec3ee5a047;Sampled=1 `,
    `${ROOT};Parent=557abcec3ee5a047;Sampled=0`,
    `${ROOT};Sampled=1;Lineage=a87bd80c:1`,
    `Sampled=1;${ROOT}`,
    `${ROOT};Parent=557abcec3ee5a047;Sampled=?`,
    `${ROOT};Parent=557abcec3ee5a047;Sampled=10`,
    `${ROOT};Parent=557abcec3ee5a047;XSampled=1`,
    `${ROOT};Parent=557abcec3ee5a047`,
    ROOT,
    '',
    undefined,
  ])('answers as Powertools\' isRequestXRaySampled for %p', (header) => {
    if (header === undefined) delete process.env['_X_AMZN_TRACE_ID'];
    else process.env['_X_AMZN_TRACE_ID'] = header;
    expect(requestSampled()).toBe(isRequestXRaySampled());
  });

  it('reads the runtime\'s invoke store first, as Powertools does', () => {
    process.env['_X_AMZN_TRACE_ID'] = `${ROOT};Sampled=0`;
    (globalThis as { awslambda?: unknown }).awslambda = { InvokeStore: { getXRayTraceId: () => `${ROOT};Sampled=1` } };
    expect([requestSampled(), isRequestXRaySampled()]).toEqual([true, true]);
  });
});
