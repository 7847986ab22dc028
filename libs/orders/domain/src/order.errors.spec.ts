import { OrderConflictError, OrderNotFoundError, ValidationError } from './order.errors';

describe('domain errors', () => {
  // The Lambda bundles are minified without keeping class names: a name taken from the
  // class would read "e" in the logs and in Lambda's errorType.
  it.each([
    [ValidationError.of('quantity', 'must be a whole number'), 'ValidationError'],
    [new OrderNotFoundError('o-1'), 'OrderNotFoundError'],
    [new OrderConflictError('order o-1 is PAID'), 'OrderConflictError'],
  ])('%p names itself %s, whatever its class is called', (error, name) => {
    expect(error.name).toBe(name);
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  it('does not take its name from the class, which minification renames', () => {
    class RenamedByMinifier extends OrderConflictError {}
    expect(new RenamedByMinifier('x').name).toBe('OrderConflictError');
  });
});
