/**
 * The answers API Gateway gives by itself, without reaching an integration (its "gateway
 * responses"): refused tokens, invalid requests, unknown routes, throttling, failed
 * integrations. Defined here, with the rest of the HTTP contract, for infra (which configures
 * them) and the local gateway (which answers the same way).
 */

/** The gateway response types API Gateway documents, each a kind of answer it gives itself. */
export const GATEWAY_RESPONSE_TYPES = [
  'ACCESS_DENIED',
  'API_CONFIGURATION_ERROR',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'BAD_REQUEST_BODY',
  'BAD_REQUEST_PARAMETERS',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'EXPIRED_TOKEN',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'INVALID_API_KEY',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'UNAUTHORIZED',
  'UNSUPPORTED_MEDIA_TYPE',
  'WAF_FILTERED',
] as const;

export type GatewayResponseType = (typeof GATEWAY_RESPONSE_TYPES)[number];

/**
 * A gateway response body template. API Gateway does not run these through its Velocity
 * engine: it only substitutes variables, `$context.<name>` and `$stageVariables.<name>`, with
 * their values as they are, unescaped. No `$util`, no `$input`, no `#set`/`#if`: those stay in
 * the body as written. So a template is valid JSON for every request only if each variable it
 * uses can hold nothing that breaks JSON where it stands; most cannot promise that:
 * `$context.error.messageString` is the message in quotes, unescaped, and some messages quote
 * the request (its Authorization header, its canonical form); `$context.error.validationErrorString`
 * quotes the body's offending values (`[string "…" is too long …]`). The templates below
 * therefore use one variable only, `$context.error.responseType`, whose values are the
 * documented type names.
 */
export interface GatewayResponse {
  /** The status API Gateway answers with (a string, as it takes it); absent: the type's own. */
  readonly statusCode?: string;
  /** The application/json body template. */
  readonly template: string;
}

/** A JSON body with static text only. */
const body = (value: { message: string; errors?: { field: string; problem: string }[] }) => JSON.stringify(value);
/** A JSON body naming the response type, the one variable that cannot break it. */
const typed = (message: string) => `{"message":${JSON.stringify(message)},"type":"$context.error.responseType"}`;

/**
 * The API's own answers to what API Gateway refuses, in the shape of every other error of the
 * API (`{"message", "errors"?}`), with API Gateway's own wording where it has a fixed one.
 * DEFAULT_4XX and DEFAULT_5XX cover every other type, naming it.
 */
export const GATEWAY_RESPONSES = {
  UNAUTHORIZED: { statusCode: '401', template: body({ message: 'Unauthorized' }) },
  ACCESS_DENIED: { statusCode: '403', template: body({ message: 'User is not authorized to access this resource' }) },
  // An unknown path or method. API Gateway's message for it can quote the Authorization header.
  MISSING_AUTHENTICATION_TOKEN: { statusCode: '403', template: body({ message: 'Missing Authentication Token' }) },
  // The request validator's details quote the body (validationErrorString): the field is named, the details go unsaid.
  BAD_REQUEST_BODY: {
    statusCode: '400',
    template: body({ message: 'Invalid request body', errors: [{ field: 'body', problem: "does not match the operation's request schema" }] }),
  },
  BAD_REQUEST_PARAMETERS: {
    statusCode: '400',
    template: body({ message: 'Invalid request parameters', errors: [{ field: 'parameters', problem: 'a required parameter is missing' }] }),
  },
  UNSUPPORTED_MEDIA_TYPE: { statusCode: '415', template: body({ message: 'Unsupported Media Type' }) },
  // The stage's throttling (stage-limits.ts): API Gateway's own answer, kept rather than DEFAULT_4XX's.
  THROTTLED: { statusCode: '429', template: body({ message: 'Too Many Requests' }) },
  DEFAULT_4XX: { template: typed('The request was refused') },
  DEFAULT_5XX: { template: typed('Internal server error') },
} as const satisfies Partial<Record<GatewayResponseType, GatewayResponse>>;

/** A variable of a gateway response template: `$context.error.responseType`, `$stageVariables.name`. */
const VARIABLE = /\$(context|stageVariables)((?:\.[A-Za-z0-9_]+)+)/g;

/**
 * Renders a gateway response template as API Gateway does: each `$context.<name>` and
 * `$stageVariables.<name>` replaced by its value as it is (one API Gateway does not have
 * renders as nothing), everything else left as written. `value` is asked for
 * `context.error.responseType`, `stageVariables.name`, ….
 */
export function renderGatewayResponse(template: string, value: (variable: string) => string | undefined): string {
  return template.replace(VARIABLE, (_, root: string, path: string) => value(`${root}${path}`) ?? '');
}

/** The variables a template uses, as `renderGatewayResponse` asks for them. */
export function gatewayResponseVariables(template: string): string[] {
  return [...template.matchAll(VARIABLE)].map(([, root, path]) => `${root}${path}`);
}

/** The status of each gateway response type API Gateway answers with unless its gateway response says another, and its `x-amzn-ErrorType`. */
const GATEWAY_RESPONSE_DEFAULTS: Readonly<Partial<Record<GatewayResponseType, { readonly status: number; readonly errorType: string }>>> = {
  ACCESS_DENIED: { status: 403, errorType: 'AccessDeniedException' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_BODY: { status: 400, errorType: 'BadRequestException' },
  BAD_REQUEST_PARAMETERS: { status: 400, errorType: 'BadRequestException' },
  INTEGRATION_FAILURE: { status: 504, errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, errorType: 'InternalServerErrorException' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: 'MissingAuthenticationTokenException' },
  REQUEST_TOO_LARGE: { status: 413, errorType: 'RequestEntityTooLargeException' },
  THROTTLED: { status: 429, errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'UnsupportedMediaTypeException' },
};

/**
 * What API Gateway answers, by itself, for a gateway response type, as infra configures it: the
 * type's own gateway response, else DEFAULT_4XX or DEFAULT_5XX by its status, rendered by plain
 * substitution. The local gateway answers with exactly this.
 */
export function gatewayAnswer(type: GatewayResponseType): { status: number; errorType: string; body: string } {
  const defaults = GATEWAY_RESPONSE_DEFAULTS[type] ?? { status: 500, errorType: 'InternalServerErrorException' };
  const configured: GatewayResponse =
    (GATEWAY_RESPONSES as Partial<Record<GatewayResponseType, GatewayResponse>>)[type] ?? (defaults.status < 500 ? GATEWAY_RESPONSES.DEFAULT_4XX : GATEWAY_RESPONSES.DEFAULT_5XX);
  const body = renderGatewayResponse(configured.template, (variable) => (variable === 'context.error.responseType' ? type : undefined));
  return { status: Number(configured.statusCode ?? defaults.status), errorType: defaults.errorType, body };
}
