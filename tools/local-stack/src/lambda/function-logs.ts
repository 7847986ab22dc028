/** One line a function wrote, made readable: Powertools' JSON becomes `LEVEL message (details)`. */
export function formatLogLine(line: string, verbose: boolean): string {
  if (verbose) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.message !== 'string') return line;
  const { level, message, error, reason, problems, order_id, orderId } = entry as Record<string, unknown>;
  const details: string[] = [];
  if (order_id ?? orderId) details.push(`order ${String(order_id ?? orderId)}`);
  if (reason) details.push(`reason: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`);
  if (problems) details.push(JSON.stringify(problems));
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    details.push(`${String(e.name ?? 'Error')}: ${String(e.message ?? '')}`);
  }
  return `${String(level ?? 'INFO').padEnd(5)} ${message}${details.length ? ` (${details.join('; ')})` : ''}`;
}
