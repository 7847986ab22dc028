import { ConfigError, configFrom } from './config';

describe('configFrom', () => {
  const config = configFrom({ TABLE: 'orders', BLANK: '  ', RATE: '0.25', MODE: 'lambda' });

  it('fails at start naming a missing required setting — blank counts as missing', () => {
    expect(() => config.required('MISSING')).toThrow(new ConfigError('missing required setting MISSING'));
    expect(() => config.required('BLANK')).toThrow('missing required setting BLANK');
    expect(config.required('TABLE')).toBe('orders');
  });

  it('uses a fallback only for optional settings', () => {
    expect(config.optional('MISSING')).toBeUndefined();
    expect(config.optional('MISSING', 'x')).toBe('x');
  });

  it('checks a choice', () => {
    expect(config.oneOf('MODE', ['cognito', 'lambda'])).toBe('lambda');
    expect(() => config.oneOf('TABLE', ['cognito', 'lambda'])).toThrow('setting TABLE is "orders"; expected one of cognito, lambda');
    expect(() => config.oneOf('MISSING', ['a'])).toThrow('missing required setting MISSING');
    expect(config.oneOf('MISSING', ['a', 'b'], 'b')).toBe('b');
  });

  it('checks a number and its range', () => {
    expect(config.number('RATE', 0, { min: 0, max: 1 })).toBe(0.25);
    expect(config.number('MISSING', 0.5)).toBe(0.5);
    expect(() => config.number('TABLE', 0)).toThrow('setting TABLE is "orders"');
    expect(() => config.number('RATE', 0, { min: 0.5 })).toThrow('expected a number from 0.5');
  });
});
