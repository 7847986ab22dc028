import { ConditionalCheckFailedException, ProvisionedThroughputExceededException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { classifyError, isTransient } from './error-classification';

const sdkMeta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const networkError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });

describe('classifyError (one answer for the queue consumer and every workflow task)', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'])('a %s from the network is transient', (code) => {
    expect(classifyError(networkError(code))).toBe('transient');
  });

  it('a socket hang-up, an SDK request timeout and a fetch failure with its cause are transient', () => {
    expect(isTransient(new Error('socket hang up'))).toBe(true);
    expect(isTransient(Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' }))).toBe(true);
    expect(isTransient(new TypeError('fetch failed', { cause: networkError('ECONNREFUSED') }))).toBe(true);
    expect(isTransient(new AggregateError([networkError('ECONNREFUSED')], 'connect failed'))).toBe(true);
  });

  it('DynamoDB throttling, the SDK’s $retryable and any 5xx are transient', () => {
    expect(isTransient(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'Whatever', $retryable: { throttling: true } }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'InternalServerError', $fault: 'server', ...sdkMeta(500) }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'UnknownError', ...sdkMeta(503) }))).toBe(true);
  });

  it('Lambda’s service and throttling errors are transient', () => {
    for (const name of ['Lambda.ServiceException', 'Lambda.TooManyRequestsException']) {
      expect(isTransient(Object.assign(new Error('x'), { name }))).toBe(true);
    }
  });

  it('validation, not found, a failed condition, access denied and plain bugs are permanent', () => {
    expect(classifyError(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }))).toBe('permanent');
    expect(classifyError(new ResourceNotFoundException({ message: 'no table', $metadata: {} }))).toBe('permanent');
    expect(classifyError(Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException', ...sdkMeta(400) }))).toBe(
      'permanent',
    );
    expect(classifyError(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', ...sdkMeta(400) }))).toBe('permanent');
    expect(classifyError(new TypeError('Cannot read properties of undefined'))).toBe('permanent');
    expect(classifyError('a string')).toBe('permanent');
    expect(classifyError(undefined)).toBe('permanent');
  });

  it('does not loop on a cause chain that points back at itself', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(classifyError(a)).toBe('permanent');
  });
});
