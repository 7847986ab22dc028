import { newOrder } from '@serverless-orders/orders-domain';
import { OrderWorkflowInput } from '@serverless-orders/order-workflow';
import { workflowInput } from './order-workflow.step-functions';

describe('workflowInput', () => {
  it('is the execution input the ASL contract expects, owner and placing time included', () => {
    const order = newOrder('6f1c2a8e-0000-4000-8000-000000000001', 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, new Date('2026-01-01T12:00:00Z'));
    const input = workflowInput(order);
    expect(OrderWorkflowInput.parse(input)).toEqual(input);
    expect(input).toEqual({
      order_id: order.id,
      user_id: 'alice',
      restaurant_id: 'r-1',
      item: 'pizza',
      quantity: 2,
      placed_at: '2026-01-01T12:00:00.000Z',
    });
  });
});
