import Ajv04 from 'ajv-draft-04';
import { GATEWAY_RESPONSE_TYPES } from '@serverless-orders/api-gateway';

/**
 * What API Gateway's OpenAPI import refuses, or takes and then does not do, checked on the
 * document infra imports, with no AWS account. The rules are AWS's: the "important notes for
 * REST APIs" on OpenAPI (models are JSON Schema draft 4; discriminator, example,
 * exclusiveMinimum, oneOf, readOnly, int32/int64/decimal formats unsupported; model names
 * alphanumeric; path segments; only apiKey security schemes; input parameters reduced to name,
 * in, required, type, description), and the reference of the x-amazon-apigateway-* extensions
 * (integration types, mapping expressions, string status codes, gateway response types).
 *
 * Written here because no library encodes them: OpenAPI validators check the OpenAPI
 * specification, which accepts all of this. JSON Schema draft 4 itself is checked by Ajv's
 * draft-04 validator, in strict mode, so a keyword draft 4 does not know is an error too.
 * The tests run it on the document the program builds (the program itself does not: the
 * document depends on no stack setting that could make it fail here).
 */

export interface ImportFinding {
  /** Where in the document, as a dotted path. */
  readonly at: string;
  readonly problem: string;
}

export interface ImportReport {
  /** What makes the import fail, or makes the API differ from what the document says. */
  readonly errors: readonly ImportFinding[];
  /** What the import takes but API Gateway does not enforce: whatever relies on it must check it again. */
  readonly ignored: readonly ImportFinding[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown): Json => (isObject(value) ? value : {});

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const INTEGRATION_TYPES = ['aws', 'aws_proxy', 'http', 'http_proxy', 'mock'];
const PASSTHROUGH_BEHAVIORS = ['when_no_match', 'when_no_templates', 'never'];
/** A status code as the extensions want it: a string of three digits. */
const STATUS_CODE = /^[1-5]\d\d$/;
/** A static value of a parameter mapping: single-quoted. */
const STATIC_VALUE = /^'[^']*'$/;

/** Keywords of later JSON Schema drafts (or of OpenAPI's own schema dialect) that draft 4 does not have. */
const NOT_DRAFT_4 = [
  '$anchor',
  '$comment',
  '$defs',
  '$id',
  'const',
  'contains',
  'contentEncoding',
  'contentMediaType',
  'dependentRequired',
  'dependentSchemas',
  'deprecated',
  'else',
  'examples',
  'if',
  'maxContains',
  'minContains',
  'nullable',
  'prefixItems',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
  'writeOnly',
];
/** Keywords AWS documents as not supported by API Gateway. */
const UNSUPPORTED_BY_API_GATEWAY = ['discriminator', 'example', 'exclusiveMinimum', 'oneOf', 'readOnly'];
const UNSUPPORTED_FORMATS = ['int32', 'int64', 'decimal'];
/** Draft 4's own formats; any other format is an error in Ajv's strict mode. */
const DRAFT_4_FORMATS = ['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri'];
const DRAFT_4_META = 'http://json-schema.org/draft-04/schema#';

/** Where API Gateway puts an imported model; `#/components/schemas/<name>` references become these. */
const modelUri = (name: string) => `https://apigateway.amazonaws.com/models/${name}`;

export function checkApiGatewayImport(document: unknown): ImportReport {
  const errors: ImportFinding[] = [];
  const ignored: ImportFinding[] = [];
  const error = (at: string, problem: string) => void errors.push({ at, problem });
  if (!isObject(document)) return { errors: [{ at: '', problem: 'is not an OpenAPI document' }], ignored };

  if (typeof document['openapi'] !== 'string' || !/^3\.0\.\d+$/.test(document['openapi'])) {
    error('openapi', `is ${JSON.stringify(document['openapi'])}: API Gateway imports OpenAPI 3.0 (and Swagger 2.0), not 3.1`);
  }

  const components = objectAt(document['components']);
  const schemas = objectAt(components['schemas']);
  for (const name of Object.keys(schemas)) {
    if (!/^[A-Za-z0-9]+$/.test(name)) error(`components.schemas.${name}`, 'a model name may hold only letters and digits');
  }
  const model = modelChecker(schemas, error);
  for (const [name, schema] of Object.entries(schemas)) model(`components.schemas.${name}`, schema);

  const schemes = objectAt(components['securitySchemes']);
  for (const [name, scheme] of Object.entries(schemes)) checkSecurityScheme(`components.securitySchemes.${name}`, objectAt(scheme), error);

  const validators = objectAt(document['x-amazon-apigateway-request-validators']);
  for (const [name, validator] of Object.entries(validators)) {
    for (const [key, value] of Object.entries(objectAt(validator))) {
      if (!['validateRequestBody', 'validateRequestParameters'].includes(key) || typeof value !== 'boolean') {
        error(`x-amazon-apigateway-request-validators.${name}.${key}`, 'a request validator has only the booleans validateRequestBody and validateRequestParameters');
      }
    }
  }

  for (const [path, item] of Object.entries(objectAt(document['paths']))) {
    const segments = path.split('/').slice(1);
    if (!path.startsWith('/') || segments.some((s) => !/^([\w.,:-]+|\{[\w.-]+\+?\})$/.test(s))) {
      error(`paths.${path}`, 'a path segment may hold only letters, digits, _ - . , : or be one whole {parameter}');
    }
    const pathParameters = [...path.matchAll(/\{([\w.-]+)\+?\}/g)].map((m) => m[1]);
    for (const [method, value] of Object.entries(objectAt(item))) {
      if (!HTTP_METHODS.includes(method)) continue;
      checkOperation(`paths.${path}.${method}`, objectAt(value), { pathParameters, schemes, validators, schemas, model, error, ignored });
    }
  }

  const gatewayResponses = objectAt(document['x-amazon-apigateway-gateway-responses']);
  for (const [type, value] of Object.entries(gatewayResponses)) {
    const at = `x-amazon-apigateway-gateway-responses.${type}`;
    const response = objectAt(value);
    if (!(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) error(at, 'is not a gateway response type');
    if (response['statusCode'] !== undefined) checkStatusCode(`${at}.statusCode`, response['statusCode'], error);
    for (const [contentType, template] of Object.entries(objectAt(response['responseTemplates']))) {
      // Not Velocity: API Gateway substitutes $context and $stageVariables variables, and leaves anything else as written.
      const rest = String(template).replace(/\$(context|stageVariables)(\.[A-Za-z0-9_]+)+/g, '');
      if (rest.includes('$') || /#(set|if|foreach|end|else)\b/.test(rest)) {
        error(`${at}.responseTemplates.${contentType}`, 'uses Velocity ($util, $input, #set, …), which gateway responses do not run: only $context and $stageVariables are substituted');
      }
    }
    for (const [key, mapping] of Object.entries(objectAt(response['responseParameters']))) {
      if (!/^gatewayresponse\.(header|path|querystring)\.[^.]+$/.test(key)) error(`${at}.responseParameters.${key}`, 'is not gatewayresponse.{header|path|querystring}.<name>');
      if (typeof mapping !== 'string' || !(STATIC_VALUE.test(mapping) || /^(method\.request\.(header|path|querystring)|stageVariables)\.[^.]+$/.test(mapping))) {
        error(`${at}.responseParameters.${key}`, `maps ${JSON.stringify(mapping)}: a gateway response parameter is a '…' literal or a request parameter`);
      }
    }
  }

  return { errors, ignored };
}

interface OperationContext {
  readonly pathParameters: readonly string[];
  readonly schemes: Json;
  readonly validators: Json;
  readonly schemas: Json;
  readonly model: (at: string, schema: unknown) => void;
  readonly error: (at: string, problem: string) => void;
  readonly ignored: ImportFinding[];
}

function checkOperation(at: string, operation: Json, c: OperationContext): void {
  const parameters = (Array.isArray(operation['parameters']) ? operation['parameters'] : []).map(objectAt);
  for (const [i, parameter] of parameters.entries()) {
    const where = `${at}.parameters[${i}] (${String(parameter['in'])} ${String(parameter['name'])})`;
    if (!['path', 'query', 'header'].includes(String(parameter['in']))) c.error(where, 'API Gateway takes path, query and header parameters only');
    const constraints = Object.keys(objectAt(parameter['schema'])).filter((k) => k !== 'type');
    if (constraints.length) {
      c.ignored.push({ at: where, problem: `API Gateway checks a parameter's presence, never its ${constraints.join(', ')}` });
    }
  }
  const declared = (where: string, name: string) => parameters.some((p) => p['in'] === where && p['name'] === name);
  for (const name of c.pathParameters) {
    if (!parameters.some((p) => p['in'] === 'path' && p['name'] === name && p['required'] === true)) {
      c.error(at, `does not declare its path parameter ${name} (in: path, required: true)`);
    }
  }

  for (const requirement of Array.isArray(operation['security']) ? operation['security'] : []) {
    for (const name of Object.keys(objectAt(requirement))) {
      if (!(name in c.schemes)) c.error(`${at}.security`, `names ${name}, which components.securitySchemes does not define`);
    }
  }
  const validator = operation['x-amazon-apigateway-request-validator'];
  if (validator !== undefined && !(typeof validator === 'string' && validator in c.validators)) {
    c.error(`${at}.x-amazon-apigateway-request-validator`, `names ${JSON.stringify(validator)}, which x-amazon-apigateway-request-validators does not define`);
  }

  for (const [type, media] of Object.entries(objectAt(objectAt(operation['requestBody'])['content']))) {
    c.model(`${at}.requestBody.content.${type}.schema`, objectAt(media)['schema']);
  }

  const responses = objectAt(operation['responses']);
  for (const [status, value] of Object.entries(responses)) {
    const where = `${at}.responses.${status}`;
    const response = objectAt(value);
    if (!STATUS_CODE.test(status) && status !== 'default') c.error(where, 'is not a status code');
    if ('$ref' in response) c.error(where, 'a response may not be a $ref: API Gateway wants it inline');
    for (const [type, media] of Object.entries(objectAt(response['content']))) {
      const schema = objectAt(media)['schema'];
      c.model(`${where}.content.${type}.schema`, schema);
      const ref = objectAt(schema)['$ref'];
      const resolved = typeof ref === 'string' ? objectAt(c.schemas[ref.replace('#/components/schemas/', '')]) : objectAt(schema);
      if (resolved['type'] !== 'object') c.error(`${where}.content.${type}.schema`, 'a method response model must be an object, not a primitive');
    }
  }

  const integration = operation['x-amazon-apigateway-integration'];
  if (!isObject(integration)) {
    c.error(at, 'has no x-amazon-apigateway-integration: the deployment would fail');
    return;
  }
  checkIntegration(`${at}.x-amazon-apigateway-integration`, integration, responses, declared, c.error);
}

function checkIntegration(
  at: string,
  integration: Json,
  methodResponses: Json,
  declared: (where: string, name: string) => boolean,
  error: (at: string, problem: string) => void,
): void {
  const type = integration['type'];
  if (typeof type !== 'string' || !INTEGRATION_TYPES.includes(type)) error(`${at}.type`, `is ${JSON.stringify(type)}, not one of ${INTEGRATION_TYPES.join(', ')}`);
  if (type !== 'mock') {
    if (typeof integration['uri'] !== 'string') error(`${at}.uri`, 'is required');
    if (typeof integration['httpMethod'] !== 'string') error(`${at}.httpMethod`, 'is required');
  }
  if (type === 'aws_proxy' && !/^arn:[\w-]+:apigateway:[\w-]+:lambda:path\/2015-03-31\/functions\/arn:[^/]+\/invocations$/.test(String(integration['uri']))) {
    error(`${at}.uri`, 'is not a Lambda function invocation URI');
  }
  const passthrough = integration['passthroughBehavior'];
  if (passthrough !== undefined && !PASSTHROUGH_BEHAVIORS.includes(String(passthrough))) {
    error(`${at}.passthroughBehavior`, `is ${JSON.stringify(passthrough)}, not one of ${PASSTHROUGH_BEHAVIORS.join(', ')}`);
  }
  for (const [key, value] of Object.entries(objectAt(integration['requestParameters']))) {
    const where = `${at}.requestParameters.${key}`;
    if (!/^integration\.request\.(header|querystring|path)\.[^.]+$/.test(key)) error(where, 'is not integration.request.{header|querystring|path}.<name>');
    const source = /^method\.request\.(header|querystring|path)\.([^.]+)$/.exec(String(value));
    const parameterIn = source && ({ header: 'header', querystring: 'query', path: 'path' } as const)[source[1] as 'header' | 'querystring' | 'path'];
    if (source && parameterIn && !declared(parameterIn, source[2])) error(where, `maps ${String(value)}, which the method does not declare`);
    else if (!source && !(typeof value === 'string' && (STATIC_VALUE.test(value) || /^(context|stageVariables)\.[\w.]+$/.test(value)))) {
      error(where, `maps ${JSON.stringify(value)}: not a '…' literal, a method request parameter, context or stage variable`);
    }
  }
  for (const [pattern, value] of Object.entries(objectAt(integration['responses']))) {
    const where = `${at}.responses.${pattern}`;
    const response = objectAt(value);
    checkStatusCode(`${where}.statusCode`, response['statusCode'], error);
    const methodResponse = methodResponses[String(response['statusCode'])];
    if (methodResponse === undefined) {
      error(`${where}.statusCode`, `answers ${String(response['statusCode'])}, which the method's responses do not define`);
      continue;
    }
    const headers = objectAt(objectAt(methodResponse)['headers']);
    for (const key of Object.keys(objectAt(response['responseParameters']))) {
      const header = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
      if (!header) error(`${where}.responseParameters.${key}`, 'is not method.response.header.<name>');
      else if (!(header in headers)) error(`${where}.responseParameters.${key}`, `sets ${header}, which the method's ${String(response['statusCode'])} response does not declare`);
    }
  }
}

function checkSecurityScheme(at: string, scheme: Json, error: (at: string, problem: string) => void): void {
  if (scheme['type'] !== 'apiKey') error(`${at}.type`, 'API Gateway takes apiKey security schemes only (authorizers come from its extensions)');
  const authorizer = objectAt(scheme['x-amazon-apigateway-authorizer']);
  const type = authorizer['type'];
  if (!['token', 'request', 'cognito_user_pools'].includes(String(type))) error(`${at}.x-amazon-apigateway-authorizer.type`, `is ${JSON.stringify(type)}`);
  if (type === 'cognito_user_pools') {
    const arns = authorizer['providerARNs'];
    if (!Array.isArray(arns) || arns.length === 0 || arns.some((arn) => !/^arn:[\w-]+:cognito-idp:[\w-]+:\d{12}:userpool\/[\w-]+$/.test(String(arn)))) {
      error(`${at}.x-amazon-apigateway-authorizer.providerARNs`, 'must list user pool ARNs');
    }
  } else {
    if (typeof authorizer['authorizerUri'] !== 'string') error(`${at}.x-amazon-apigateway-authorizer.authorizerUri`, 'is required');
    const source = String(authorizer['identitySource']);
    if (!source.split(',').every((s) => /^(method\.request\.(header|querystring)\.[^.,\s]+|context\.[\w.]+|stageVariables\.\w+)$/.test(s.trim()))) {
      error(`${at}.x-amazon-apigateway-authorizer.identitySource`, `is ${JSON.stringify(authorizer['identitySource'])}, not a list of request parameters`);
    }
  }
  const ttl = authorizer['authorizerResultTtlInSeconds'];
  if (ttl !== undefined && !(Number.isInteger(ttl) && (ttl as number) >= 0 && (ttl as number) <= 3600)) {
    error(`${at}.x-amazon-apigateway-authorizer.authorizerResultTtlInSeconds`, 'must be a whole number from 0 to 3600');
  }
}

function checkStatusCode(at: string, value: unknown, error: (at: string, problem: string) => void): void {
  if (typeof value !== 'string') error(at, `is ${JSON.stringify(value)}: API Gateway takes a status code as a string`);
  else if (!STATUS_CODE.test(value)) error(at, `is ${JSON.stringify(value)}, not a status code`);
}

/**
 * Checks a schema as API Gateway takes it for a model: JSON Schema draft 4, without what AWS
 * documents as unsupported, its references to `#/components/schemas/<name>` resolved to the
 * models the import creates.
 */
function modelChecker(schemas: Json, error: (at: string, problem: string) => void): (at: string, schema: unknown) => void {
  const ajv = new Ajv04({ strict: true, allErrors: true });
  for (const format of DRAFT_4_FORMATS) ajv.addFormat(format, true);
  const toModels = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema ?? {}), (key, value) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/') ? modelUri(value.slice(21)) : value,
    );
  for (const [name, schema] of Object.entries(schemas)) {
    if (deniedKeywords(schema).length) continue;
    try {
      ajv.addSchema(toModels(schema) as object, modelUri(name));
    } catch {
      // Reported where the model itself is checked.
    }
  }
  return (at, schema) => {
    if (!isObject(schema)) {
      error(at, 'is not a schema');
      return;
    }
    const denied = deniedKeywords(schema);
    for (const { at: where, problem } of denied) error(`${at}${where}`, problem);
    if (denied.length) return;
    try {
      ajv.compile(toModels(schema) as object);
    } catch (e) {
      error(at, `is not a JSON Schema draft 4 model: ${(e as Error).message}`);
    }
  };
}

/** The keywords of a schema (and of its subschemas) that API Gateway's models do not take. */
function deniedKeywords(schema: unknown, at = ''): ImportFinding[] {
  if (!isObject(schema)) return [];
  const found: ImportFinding[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (NOT_DRAFT_4.includes(keyword)) found.push({ at, problem: `has ${keyword}, which JSON Schema draft 4 (API Gateway's models) does not know` });
    if (UNSUPPORTED_BY_API_GATEWAY.includes(keyword)) found.push({ at, problem: `has ${keyword}, which AWS documents as not supported by API Gateway` });
    if (keyword === 'format' && UNSUPPORTED_FORMATS.includes(String(value))) found.push({ at, problem: `has format ${String(value)}, which AWS documents as not supported` });
    if (keyword === '$schema' && value !== DRAFT_4_META) found.push({ at, problem: `declares $schema ${JSON.stringify(value)}: API Gateway's models are draft 4` });
  }
  const sub = (value: unknown, where: string) => found.push(...deniedKeywords(value, `${at}${where}`));
  for (const keyword of ['properties', 'patternProperties', 'definitions', 'dependencies']) {
    for (const [name, value] of Object.entries(objectAt(schema[keyword]))) sub(value, `.${keyword}.${name}`);
  }
  for (const keyword of ['items', 'allOf', 'anyOf', 'oneOf']) {
    const value = schema[keyword];
    if (Array.isArray(value)) value.forEach((v, i) => sub(v, `.${keyword}[${i}]`));
    else sub(value, `.${keyword}`);
  }
  for (const keyword of ['additionalItems', 'additionalProperties', 'not']) sub(schema[keyword], `.${keyword}`);
  return found;
}
