import { TEXT_MAX_LENGTH } from './order';

/** Where an order's processing failed; each has the reason the customer reads when there is no better one. */
export const FAILURE_REASONS = {
  payment: 'Payment failed',
  restaurant: 'The restaurant could not take the order',
  processing: 'The order could not be processed',
} as const;

export type FailureKind = keyof typeof FAILURE_REASONS;

/**
 * The reason stored in error_message: the provider's own words when it gave some, else the
 * default for the step; never empty, at most TEXT_MAX_LENGTH characters.
 */
export function failureReason(kind: FailureKind, detail?: string): string {
  const text = detail?.trim() || FAILURE_REASONS[kind];
  return text.length > TEXT_MAX_LENGTH ? `${text.slice(0, TEXT_MAX_LENGTH - 1)}…` : text;
}
