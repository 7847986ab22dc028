import { OrderConflictError, OrderNotFoundError, ValidationError } from '@serverless-orders/orders-domain';
import { domainErrorAnswer } from './error-answers';

describe('domainErrorAnswer', () => {
  it.each([
    [ValidationError.of('quantity', 'must be a whole number'), 400, { message: 'Invalid request', errors: [{ field: 'quantity', problem: 'must be a whole number' }] }],
    [new OrderNotFoundError('o-1'), 404, { message: 'order o-1 not found' }],
    [new OrderConflictError('order o-1 is PAID'), 409, { message: 'order o-1 is PAID' }],
  ])('answers %p with its 4xx', (error, statusCode, body) => {
    expect(domainErrorAnswer(error)).toEqual({ statusCode, body });
  });

  it('leaves anything else to a 500: not the client’s doing', () => {
    expect(domainErrorAnswer(new Error('connect ECONNREFUSED'))).toBeUndefined();
  });
});
