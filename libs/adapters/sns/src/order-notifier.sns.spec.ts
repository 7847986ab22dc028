import { newOrder, transitionOrder } from '@serverless-orders/orders-domain';
import { orderNotification } from './order-notifier.sns';

const placed = newOrder('6f1c2a8e-0000-4000-8000-000000000001', 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, new Date('2026-01-01T12:00:00Z'));
const paid = transitionOrder(placed, 'PAID', new Date('2026-01-01T12:00:30Z'));

describe('orderNotification', () => {
  it('names order, owner and status of a success', () => {
    const { subject, message } = orderNotification(transitionOrder(paid, 'SUCCESS', new Date()));
    expect(subject).toBe('Your order is on its way (SUCCESS)');
    expect(message).toContain(`Order:  ${placed.id}`);
    expect(message).toContain('Owner:  alice');
    expect(message).toContain('Status: SUCCESS');
    expect(message).not.toContain('Reason');
  });

  it('gives the reason of a failure', () => {
    const { subject, message } = orderNotification(transitionOrder(placed, 'FAILURE', new Date(), 'Error processing payment'));
    expect(subject).toBe('Your order failed (FAILURE)');
    expect(message).toContain('Status: FAILURE');
    expect(message).toContain('Reason: Error processing payment');
  });

  it('shows control characters a customer typed as escapes: no injected lines, no terminal escapes', () => {
    // A row the API's validation never saw (written to the table directly) can hold them.
    const sneaky = { ...placed, restaurant_id: 'r-1\u0000\u001b[31m', item: 'pizza\r\nX-Injected: 1\u0007', quantity: 1 };
    const { message } = orderNotification(sneaky);
    expect(message.split('\n')).toHaveLength(6); // no line more than a PENDING order's notification has
    expect(message).toContain('Item:   1 × pizza\\u000d\\u000aX-Injected: 1\\u0007 from r-1\\u0000\\u001b[31m');
    // eslint-disable-next-line no-control-regex -- the point of the check
    expect(message.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('keeps the subject within SNS’s rules (≤ 100 printable ASCII characters)', () => {
    const { subject } = orderNotification(transitionOrder(placed, 'FAILURE', new Date(), 'x'));
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});
