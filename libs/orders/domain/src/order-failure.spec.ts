import { TEXT_MAX_LENGTH } from './order';
import { FAILURE_REASONS, failureReason } from './order-failure';

describe('failureReason', () => {
  it('keeps the provider’s words', () => {
    expect(failureReason('payment', '  Card declined ')).toBe('Card declined');
  });

  it('falls back to the step’s default when there are none', () => {
    expect(failureReason('payment')).toBe(FAILURE_REASONS.payment);
    expect(failureReason('restaurant', '   ')).toBe(FAILURE_REASONS.restaurant);
  });

  it('never exceeds the text limit', () => {
    const reason = failureReason('processing', 'x'.repeat(500));
    expect(reason).toHaveLength(TEXT_MAX_LENGTH);
    expect(reason.endsWith('…')).toBe(true);
  });
});
