import { apiGatewayDocument, type ApiAuthorizer } from './api-document';
import { IDEMPOTENCY_KEY_HEADER } from '@serverless-orders/http-contract';
import { checkApiGatewayImport } from './api-gateway-import-rules';

const ACCOUNT = '123456789012';
const invokeArn = (fn: string) =>
  `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:${ACCOUNT}:function:orders-dev-${fn}/invocations`;

const AUTHORIZERS: Record<ApiAuthorizer['mode'], ApiAuthorizer> = {
  cognito: { mode: 'cognito', userPoolArn: `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_AbCdEf123` },
  lambda: { mode: 'lambda', invokeArn: invokeArn('authorizer'), ttlSeconds: 300, identityHeader: 'Authorization' },
};

/** The document infra imports, as the program builds it once the ARNs are known. */
const imported = (mode: ApiAuthorizer['mode']) =>
  apiGatewayDocument({
    functionInvokeArns: { 'get-orders': invokeArn('get-orders'), 'update-order': invokeArn('update-order'), 'delete-order': invokeArn('delete-order') },
    queueArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders-dev-orders`,
    queueRoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-dev-api-queue-role`,
    authorizer: AUTHORIZERS[mode],
    corsAllowOrigin: 'https://app.example.com',
    title: 'orders-dev-api',
  });

describe("the document infra imports, against API Gateway's import rules", () => {
  it.each(['cognito', 'lambda'] as const)('%s authorizer: nothing the import refuses or turns into something else', (mode) => {
    expect(checkApiGatewayImport(JSON.parse(JSON.stringify(imported(mode)))).errors).toEqual([]);
  });

  it('relies on no parameter constraint API Gateway ignores: a function checks it again, or nothing depends on it', () => {
    const document = imported('cognito');
    const { ignored } = checkApiGatewayImport(document);
    // The id's pattern, limit's range, next_token's length: API Gateway checks presence only.
    expect(ignored.length).toBeGreaterThan(0);
    for (const { at } of ignored) {
      const [, path, method, where, name] = /^paths\.(\/\S*)\.(\w+)\.parameters\[\d+\] \((\w+) ([^)]+)\)/.exec(at) ?? [];
      const operation = (document.paths as Record<string, Record<string, Record<string, { type?: string }>>>)[path]?.[method];
      // The queue's one parameter: its request template refuses a malformed Idempotency-Key itself
      // (an SQS call with no body: a 400 naming the header; see libs/api-gateway).
      if (operation?.['x-amazon-apigateway-integration']?.type === 'aws' && where === 'header' && name === IDEMPOTENCY_KEY_HEADER) continue;
      // A Lambda proxy: the function validates the parameter with the same schema (a 400 naming it).
      // A MOCK: the CORS preflight, the same answer whatever the value.
      expect(['aws_proxy', 'mock']).toContain(operation?.['x-amazon-apigateway-integration']?.type);
    }
  });
});

/** A small document that passes every rule, for the rules' own tests. */
function valid() {
  return {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: {
      '/things/{id}': {
        put: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          security: [{ auth: [] }],
          'x-amazon-apigateway-request-validator': 'all',
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } } } } } },
          responses: {
            '200': {
              description: 'ok',
              headers: { 'Access-Control-Allow-Origin': { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
            },
          },
          'x-amazon-apigateway-integration': {
            type: 'aws',
            httpMethod: 'POST',
            uri: 'arn:aws:apigateway:eu-west-1:sqs:path/123456789012/q',
            requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
            passthroughBehavior: 'never',
            responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" } } },
          },
        },
      },
    },
    components: {
      schemas: { Thing: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
      securitySchemes: {
        auth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [AUTHORIZERS.cognito.mode === 'cognito' ? AUTHORIZERS.cognito.userPoolArn : ''] },
        },
      },
    },
    'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } },
    'x-amazon-apigateway-gateway-responses': {
      UNAUTHORIZED: { statusCode: '401', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
    },
  };
}

type Doc = ReturnType<typeof valid>;
const put = (d: Doc) => d.paths['/things/{id}'].put as Record<string, unknown> & Doc['paths']['/things/{id}']['put'];
const body = (d: Doc) => put(d).requestBody.content['application/json'].schema as Record<string, unknown>;
const problems = (change: (d: Doc) => void) => {
  const d = valid();
  change(d);
  return checkApiGatewayImport(JSON.parse(JSON.stringify(d))).errors.map((e) => `${e.at}: ${e.problem}`);
};

describe('API Gateway import rules', () => {
  it('pass the small document', () => {
    expect(problems(() => undefined)).toEqual([]);
  });

  it.each<[string, (d: Doc) => void, RegExp]>([
    // Status codes: strings, in gateway responses and integration responses alike.
    ['a gateway response status code given as a number', (d) => void ((d['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED as { statusCode: unknown }).statusCode = 401), /UNAUTHORIZED\.statusCode: is 401: .*as a string/],
    ['an integration response status code given as a number', (d) => void ((put(d)['x-amazon-apigateway-integration'].responses.default as { statusCode: unknown }).statusCode = 200), /statusCode: is 200: .*as a string/],
    ['a type of gateway response API Gateway does not have', (d) => void ((d['x-amazon-apigateway-gateway-responses'] as Record<string, unknown>)['NOT_FOUND'] = {}), /NOT_FOUND: is not a gateway response type/],
    // Models: JSON Schema draft 4, less what AWS does not support.
    ['const (draft 6)', (d) => void (body(d)['const'] = {}), /requestBody.*has const, which JSON Schema draft 4/],
    ['exclusiveMinimum as a number (draft 6)', (d) => void ((body(d)['properties'] as Record<string, Record<string, unknown>>)['n']['exclusiveMinimum'] = 0), /properties\.n: has exclusiveMinimum, which AWS documents as not supported/],
    ['examples (draft 6)', (d) => void (body(d)['examples'] = [{}]), /has examples, which JSON Schema draft 4/],
    ['a draft 2020-12 $schema', (d) => void (body(d)['$schema'] = 'https://json-schema.org/draft/2020-12/schema'), /declares \$schema .*draft 4/],
    ['nullable (OpenAPI 3.0, not JSON Schema)', (d) => void (body(d)['nullable'] = true), /has nullable/],
    ['oneOf', (d) => void (body(d)['oneOf'] = [{ type: 'object' }]), /has oneOf, which AWS documents as not supported/],
    ['discriminator', (d) => void ((d.components.schemas.Thing as Record<string, unknown>)['discriminator'] = { propertyName: 'id' }), /components\.schemas\.Thing: has discriminator/],
    ['an int64 format', (d) => void (((body(d)['properties'] as Record<string, Record<string, unknown>>)['n']['format'] = 'int64')), /has format int64/],
    ['a keyword draft 4 does not know', (d) => void (body(d)['maxLenght'] = 3), /not a JSON Schema draft 4 model: strict mode: unknown keyword: "maxLenght"/],
    ['an empty required list (draft 4 wants one name at least)', (d) => void (body(d)['required'] = []), /not a JSON Schema draft 4 model: .*required/],
    ['a reference to no model', (d) => void (put(d).responses['200'].content['application/json'].schema.$ref = '#/components/schemas/Nothing'), /not a JSON Schema draft 4 model: .*Nothing/],
    ['a model name that is not alphanumeric', (d) => void ((d.components.schemas as Record<string, unknown>)['Thing_2'] = { type: 'object' }), /Thing_2: a model name/],
    ['a method response model that is a primitive', (d) => void (put(d).responses['200'].content['application/json'].schema = { type: 'string' } as never), /must be an object/],
    ['a response by $ref', (d) => void ((put(d).responses as Record<string, unknown>)['404'] = { $ref: '#/components/responses/NotFound' }), /404: a response may not be a \$ref/],
    // Document and paths.
    ['OpenAPI 3.1', (d) => void (d.openapi = '3.1.0'), /openapi: is "3\.1\.0"/],
    ['a parameter inside a path segment', (d) => void ((d.paths as Record<string, unknown>)['/thing{id}'] = {}), /paths\.\/thing\{id\}: a path segment/],
    ['a path parameter the operation does not declare', (d) => void (put(d).parameters = []), /does not declare its path parameter id/],
    ['a cookie parameter', (d) => void put(d).parameters.push({ name: 'c', in: 'cookie', required: false, schema: { type: 'string' } }), /cookie c\): API Gateway takes path, query and header/],
    // Integration and mappings.
    ['an integration response no method response matches', (d) => void (put(d)['x-amazon-apigateway-integration'].responses.default.statusCode = '202'), /answers 202, which the method's responses do not define/],
    ['a response header the method response does not declare', (d) => void ((put(d)['x-amazon-apigateway-integration'].responses.default.responseParameters as Record<string, string>)['method.response.header.X-Other'] = "'x'"), /sets X-Other, which the method's 200 response does not declare/],
    ['a request mapping from an undeclared parameter', (d) => void ((put(d)['x-amazon-apigateway-integration'].requestParameters as Record<string, string>)['integration.request.header.X-Id'] = 'method.request.querystring.id'), /maps method\.request\.querystring\.id, which the method does not declare/],
    ['an unquoted literal in a request mapping', (d) => void ((put(d)['x-amazon-apigateway-integration'].requestParameters as Record<string, string>)['integration.request.header.Accept'] = 'application/json'), /maps "application\/json": not a '…' literal/],
    ['an unknown integration type', (d) => void (put(d)['x-amazon-apigateway-integration'].type = 'lambda'), /type: is "lambda"/],
    ['a Lambda proxy to something that is no function', (d) => void (put(d)['x-amazon-apigateway-integration'].type = 'aws_proxy'), /uri: is not a Lambda function invocation URI/],
    ['no integration at all', (d) => void delete (put(d) as Record<string, unknown>)['x-amazon-apigateway-integration'], /has no x-amazon-apigateway-integration/],
    ['a validator that is not defined', (d) => void (put(d)['x-amazon-apigateway-request-validator'] = 'body-only'), /names "body-only", which x-amazon-apigateway-request-validators/],
    // Security.
    ['a security requirement with no scheme', (d) => void put(d).security.push({ other: [] } as never), /names other, which components\.securitySchemes/],
    ['an http security scheme', (d) => void ((d.components.securitySchemes.auth as Record<string, unknown>)['type'] = 'http'), /apiKey security schemes only/],
    ['a Cognito authorizer with no user pool', (d) => void (d.components.securitySchemes.auth['x-amazon-apigateway-authorizer'].providerARNs = []), /providerARNs: must list user pool ARNs/],
    [
      'a Lambda authorizer cached longer than an hour',
      (d) =>
        void (d.components.securitySchemes.auth['x-amazon-apigateway-authorizer'] = {
          type: 'request',
          authorizerUri: invokeArn('authorizer'),
          identitySource: 'method.request.header.Authorization',
          authorizerResultTtlInSeconds: 3601,
        } as never),
      /authorizerResultTtlInSeconds: must be a whole number from 0 to 3600/,
    ],
    [
      'a gateway response template that needs Velocity',
      (d) =>
        void ((d['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED as Record<string, unknown>)['responseTemplates'] = {
          'application/json': '{"problem":"$util.escapeJavaScript($context.error.validationErrorString)"}',
        }),
      /UNAUTHORIZED\.responseTemplates\.application\/json: uses Velocity/,
    ],
    ['a gateway response header from the response body', (d) => void ((d['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED.responseParameters as Record<string, string>)['gatewayresponse.header.X'] = 'integration.response.body'), /gatewayresponse\.header\.X: maps "integration\.response\.body"/],
  ])('refuse %s', (_, change, expected) => {
    const found = problems(change);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});
