import { integerRangePattern } from './integer-range-pattern';

const matcher = (min: number, max: number) => new RegExp(`^(?:${integerRangePattern(min, max)})$`);

describe('integerRangePattern', () => {
  it('writes the quantity bounds as a person would', () => {
    expect(integerRangePattern(1, 100)).toBe('[1-9]|[1-9]\\d|100');
    expect(integerRangePattern(0, 9)).toBe('\\d');
    expect(integerRangePattern(37, 452)).toBe('3[7-9]|[4-9]\\d|[1-3]\\d{2}|4[0-4]\\d|45[0-2]');
    expect(integerRangePattern(5, 5)).toBe('5');
  });

  it('matches exactly the integers from min to max, for every pair of bounds tried (0 to 1,100)', () => {
    const mins = [0, 1, 2, 5, 9, 10, 11, 19, 20, 37, 99, 100, 101, 199, 250, 999, 1000];
    const maxes = [0, 1, 9, 10, 11, 42, 99, 100, 101, 109, 110, 199, 200, 452, 909, 999, 1000, 1001, 1099];
    for (const min of mins) {
      for (const max of maxes.filter((m) => m >= min)) {
        const re = matcher(min, max);
        for (let n = 0; n <= 1100; n++) {
          const expected = n >= min && n <= max;
          if (re.test(String(n)) !== expected) throw new Error(`[${min}, ${max}]: ${n} ${expected ? 'not matched' : 'matched'} by ${re.source}`);
        }
      }
    }
  });

  it('matches no sign, fraction, exponent or leading zero (the caller adds what it allows)', () => {
    const re = matcher(1, 100);
    for (const text of ['+1', '-1', '1.0', '1e2', '01', '', ' 1']) expect([text, re.test(text)]).toEqual([text, false]);
  });

  it.each([
    [-1, 5],
    [5, 4],
    [1.5, 3],
  ])('refuses bounds that are no range of whole numbers (%p, %p)', (min, max) => {
    expect(() => integerRangePattern(min, max)).toThrow(RangeError);
  });
});
