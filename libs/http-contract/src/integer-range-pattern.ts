/**
 * A regular expression (its source, unanchored: a list of alternatives) that matches exactly the
 * decimal integers from `min` to `max`, written without sign or leading zeros:
 * `integerRangePattern(1, 100)` is `[1-9]|[1-9]\d|100`.
 *
 * A JSON Schema (draft 4, what API Gateway's request validator reads) can bound a number, but a
 * number written as a string (a quantity sent as "3") only by a pattern.
 * This writes that pattern from the bounds, so the domain's constants drive it.
 */
export function integerRangePattern(min: number, max: number): string {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || min > max) {
    throw new RangeError(`integerRangePattern needs whole numbers 0 ≤ min ≤ max, not ${min} and ${max}`);
  }
  const alternatives: string[] = [];
  // One run of ranges per number of digits: [min, 9], [10, 99], …, [10^(n-1), max].
  for (let digits = String(min).length; digits <= String(max).length; digits++) {
    const low = Math.max(min, digits === 1 ? 0 : 10 ** (digits - 1));
    const high = Math.min(max, 10 ** digits - 1);
    alternatives.push(...sameLength(String(low), String(high)));
  }
  return alternatives.join('|');
}

/** Alternatives matching every string of digits from `a` to `b`, both of the same length. */
function sameLength(a: string, b: string): string[] {
  if (a === b) return [a];
  const rest = a.length - 1;
  if (rest === 0) return [digitClass(Number(a), Number(b))];
  const [first, last] = [Number(a[0]), Number(b[0])];
  const [tailA, tailB] = [a.slice(1), b.slice(1)];
  if (first === last) return sameLength(tailA, tailB).map((p) => `${a[0]}${p}`);
  const zeros = '0'.repeat(rest);
  const nines = '9'.repeat(rest);
  // a..(first)99…9, then whole decades (first+1..last-1 followed by any digits), then (last)00…0..b.
  const lower = tailA === zeros ? [] : sameLength(tailA, nines).map((p) => `${a[0]}${p}`);
  const upper = tailB === nines ? [] : sameLength(zeros, tailB).map((p) => `${b[0]}${p}`);
  const from = tailA === zeros ? first : first + 1;
  const to = tailB === nines ? last : last - 1;
  const middle = from <= to ? [`${digitClass(from, to)}${rest === 1 ? '\\d' : `\\d{${rest}}`}`] : [];
  return [...lower, ...middle, ...upper];
}

/** One digit from `from` to `to`: `7`, `[78]`, `[1-9]`, `\d`. */
function digitClass(from: number, to: number): string {
  if (from === to) return String(from);
  if (from === 0 && to === 9) return '\\d';
  return to === from + 1 ? `[${from}${to}]` : `[${from}-${to}]`;
}
