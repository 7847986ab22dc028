import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import type { GatewayRoute } from './routes';

/**
 * API Gateway's request validator, for bodies: the method's model is the JSON Schema the
 * OpenAPI document gives its application/json request body (the very document infra imports),
 * and API Gateway reads models as JSON Schema draft 4. So does this, with ajv's draft-04
 * validator: a body is checked against exactly what API Gateway checks it against, not against
 * the functions' own schemas. A body that is not JSON, or none at all, fails too.
 */

/** The outcome: valid, or the validator's problems (for the log: the client only ever gets BAD_REQUEST_BODY). */
export type BodyValidation = { readonly ok: true } | { readonly ok: false; readonly problems: string };

// Lenient about keywords draft 4 does not know (OpenAPI's own, such as `nullable`), as API Gateway is.
const ajv = new Ajv({ strict: false, allErrors: true });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorOf(model: object): ValidateFunction {
  let validate = compiled.get(model);
  if (!validate) {
    validate = ajv.compile(model);
    compiled.set(model, validate);
  }
  return validate;
}

/** Compiles every route's model once, so that a model API Gateway could not read fails the start, not a request. */
export function compileModels(routes: readonly GatewayRoute[]): void {
  for (const route of routes) if (route.bodyModel) validatorOf(route.bodyModel);
}

/** Validates a JSON request body against the route's model; a route without one takes any body. */
export function validateBody(route: GatewayRoute, body: string | null): BodyValidation {
  if (!route.bodyModel) return { ok: true };
  let json: unknown;
  try {
    json = body === null || body === '' ? undefined : JSON.parse(body);
  } catch {
    return { ok: false, problems: 'the body is not valid JSON' };
  }
  if (json === undefined) return { ok: false, problems: 'the body is missing' };
  const validate = validatorOf(route.bodyModel);
  if (validate(json)) return { ok: true };
  // ajv's messages name the place and the keyword, never the value: nothing the client sent reaches the log.
  return { ok: false, problems: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ') };
}
