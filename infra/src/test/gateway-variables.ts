import { GATEWAY_RESPONSE_TYPES, gatewayResponseVariables } from '@serverless-orders/api-gateway';

/**
 * What API Gateway may substitute into a gateway response template, unescaped: request data
 * reaches `$context.error.validationErrorString` (it quotes the body's offending values) and
 * some `$context.error.message`s (the Authorization header); `$context.error.messageString` is
 * the message in double quotes. Only `$context.error.responseType` is one of a known set.
 */
const HOSTILE_VALUES = [
  '',
  '"',
  '\\',
  'ends with a backslash\\',
  '"}],"message":"injected","x":{"',
  'line\nbreak\r\tand tab',
  '[object has missing required properties (["quantity"])]',
  '[string "a \\" b" is too long (length: 201, maximum allowed: 200)]',
];

/** One value for each variable of `template`, for every combination worth trying. */
export function* gatewayVariableValues(template: string): Generator<(variable: string) => string> {
  const types = gatewayResponseVariables(template).includes('context.error.responseType') ? GATEWAY_RESPONSE_TYPES : ['DEFAULT_4XX'];
  for (const type of types) {
    for (const hostile of HOSTILE_VALUES) {
      yield (variable) =>
        variable === 'context.error.responseType' ? type : variable === 'context.error.messageString' ? `"${hostile}"` : hostile;
    }
  }
}
