import * as z from 'zod/mini';
import { gatewayAnswer, GATEWAY_RESPONSE_TYPES, GATEWAY_RESPONSES, gatewayResponseVariables, renderGatewayResponse } from './gateway-responses';
import { ErrorSchema } from '@serverless-orders/http-contract';

/**
 * What API Gateway may put in a variable, unescaped: quotes, backslashes, line breaks, JSON
 * that closes the body's own. Request data reaches `$context.error.validationErrorString`
 * (`[string "…" is too long]`) and some `$context.error.message`s (the Authorization header).
 */
const HOSTILE = [
  '',
  '"',
  '\\',
  'ends with a backslash\\',
  '"}],"message":"injected","x":{"',
  'line\nbreak\r\tand tab',
  '\u2028\u2029\u0000',
  '[object has missing required properties (["quantity"])]',
  '[string "a \\" b" is too long (length: 201, maximum allowed: 200)]',
  "it's $context.requestId",
];

/** Every value a template's variables can take: the documented types for responseType, anything for the rest. */
function* variableValues(template: string): Generator<(variable: string) => string> {
  const types = gatewayResponseVariables(template).includes('context.error.responseType') ? GATEWAY_RESPONSE_TYPES : ['DEFAULT_4XX'];
  for (const type of types) {
    for (const hostile of HOSTILE) {
      yield (variable) => {
        if (variable === 'context.error.responseType') return type;
        // The documented form: the message in double quotes, nothing escaped.
        if (variable === 'context.error.messageString') return `"${hostile}"`;
        return hostile;
      };
    }
  }
}

describe('renderGatewayResponse: simple substitution, as API Gateway renders a gateway response', () => {
  it('puts each variable in as it is, unescaped, and an unknown one as nothing', () => {
    const values: Record<string, string> = {
      'context.error.messageString': '"Invalid request body"',
      'context.error.responseType': 'BAD_REQUEST_BODY',
      'stageVariables.team': 'orders',
    };
    expect(
      renderGatewayResponse('{"message":$context.error.messageString,"type":"$context.error.responseType","by":"$stageVariables.team$context.nothing"}', (v) => values[v]),
    ).toBe('{"message":"Invalid request body","type":"BAD_REQUEST_BODY","by":"orders"}');
  });

  it('runs no Velocity: $util and directives stay in the body as written', () => {
    const template = '#set($x = 1){"problem":"$util.escapeJavaScript($context.error.validationErrorString)"}';
    expect(renderGatewayResponse(template, () => 'a "quoted" value')).toBe('#set($x = 1){"problem":"$util.escapeJavaScript(a "quoted" value)"}');
  });

  it('so a validator message in a JSON string breaks the body: why no template of the API uses it', () => {
    const template = '{"problem":"$context.error.validationErrorString"}';
    expect(() => JSON.parse(renderGatewayResponse(template, () => '[object has missing required properties (["quantity"])]'))).toThrow(SyntaxError);
  });

  it('lists the variables a template uses', () => {
    expect(gatewayResponseVariables('{"a":"$context.error.responseType","b":"$stageVariables.x"}')).toEqual([
      'context.error.responseType',
      'stageVariables.x',
    ]);
  });
});

describe('GATEWAY_RESPONSES: the answers API Gateway gives itself', () => {
  it.each(Object.entries(GATEWAY_RESPONSES))('%s: a JSON error of the API for every value API Gateway can substitute', (_, response) => {
    const template = response.template;
    let rendered = 0;
    for (const value of variableValues(template)) {
      const text = renderGatewayResponse(template, value);
      let parsed: unknown;
      expect(() => (parsed = JSON.parse(text))).not.toThrow();
      // The shape of every other error of the API.
      expect(z.safeParse(ErrorSchema, parsed).success).toBe(true);
      rendered += 1;
    }
    expect(rendered).toBeGreaterThanOrEqual(HOSTILE.length);
  });

  it('substitutes only variables, never Velocity, which API Gateway does not run here', () => {
    for (const { template } of Object.values(GATEWAY_RESPONSES)) {
      expect(template.split('$').length - 1).toBe(gatewayResponseVariables(template).length);
      expect(template).not.toMatch(/#(set|if|foreach|end)\b/);
    }
  });

  it('names a documented type for each, with a status code given as a string', () => {
    for (const [type, response] of Object.entries(GATEWAY_RESPONSES)) {
      expect(GATEWAY_RESPONSE_TYPES).toContain(type);
      if ('statusCode' in response) expect(response.statusCode).toMatch(/^[45]\d\d$/);
    }
  });

  it('says which type DEFAULT_4XX and DEFAULT_5XX stood in for', () => {
    const body = JSON.parse(renderGatewayResponse(GATEWAY_RESPONSES.DEFAULT_4XX.template, () => 'QUOTA_EXCEEDED'));
    expect(body).toEqual({ message: 'The request was refused', type: 'QUOTA_EXCEEDED' });
  });
});

describe('gatewayAnswer (what the local gateway answers for each type, as deployed)', () => {
  it('answers a configured type with its status and body, and any other with DEFAULT_4XX or DEFAULT_5XX naming it', () => {
    expect(gatewayAnswer('UNAUTHORIZED')).toEqual({ status: 401, errorType: 'UnauthorizedException', body: '{"message":"Unauthorized"}' });
    expect(JSON.parse(gatewayAnswer('UNSUPPORTED_MEDIA_TYPE').body)).toEqual({ message: 'Unsupported Media Type' });
    // Throttling keeps API Gateway's own words: 429 {"message":"Too Many Requests"}.
    expect(gatewayAnswer('THROTTLED')).toEqual({ status: 429, errorType: 'TooManyRequestsException', body: '{"message":"Too Many Requests"}' });
    expect(JSON.parse(gatewayAnswer('REQUEST_TOO_LARGE').body)).toEqual({ message: 'The request was refused', type: 'REQUEST_TOO_LARGE' });
    expect(JSON.parse(gatewayAnswer('INTEGRATION_FAILURE').body)).toEqual({ message: 'Internal server error', type: 'INTEGRATION_FAILURE' });
    for (const type of GATEWAY_RESPONSE_TYPES) expect(() => JSON.parse(gatewayAnswer(type).body)).not.toThrow();
  });
});
