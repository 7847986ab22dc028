import { redactLine, redactObject } from '../redaction';

/**
 * One line a function wrote, made readable: Powertools' JSON becomes `LEVEL message (details)`;
 * verbose keeps the raw line. Either way its secrets are redacted first (a function that logs its
 * event logs the caller's token in the Authorization header).
 */
export function formatLogLine(line: string, verbose: boolean): string {
  if (verbose) return redactLine(line);
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return redactLine(line);
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.message !== 'string') return redactLine(line);
  const { level, message, error, reason, problems, order_id, orderId } = redactObject(entry);
  const details: string[] = [];
  if (order_id ?? orderId) details.push(`order ${String(order_id ?? orderId)}`);
  if (reason) details.push(`reason: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`);
  if (problems) details.push(JSON.stringify(problems));
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    details.push(`${String(e.name ?? 'Error')}: ${String(e.message ?? '')}`);
  }
  return `${String(level ?? 'INFO').padEnd(5)} ${String(message)}${details.length ? ` (${details.join('; ')})` : ''}`;
}
