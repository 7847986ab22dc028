import { JSONPath } from 'jsonpath-plus';
import { Compile, parse } from 'velocityjs';
import { escapeJavaScript, JAVA_MAP_METHODS, JAVA_STRING_METHODS, urlDecode, urlEncode } from './java-semantics';

/**
 * API Gateway's mapping-template engine (Velocity, with `$input`, `$util`, `$context` and
 * `$stageVariables` as AWS documents them for REST APIs), on velocityjs. Infra's templates are
 * rendered by it in infra's tests (on hostile input) and by the local gateway on every request,
 * so a change to a template changes what runs locally.
 */

/** The request (or an integration's response) a template reads through `$input`. */
export interface TemplateInput {
  /** The raw payload; '' when there is none. */
  readonly body: string;
  /** Method request parameters, by kind: as API Gateway gives them (header names as sent, case-sensitive). */
  readonly params?: {
    readonly path?: Readonly<Record<string, string>>;
    readonly querystring?: Readonly<Record<string, string>>;
    readonly header?: Readonly<Record<string, string>>;
  };
}

export interface TemplateVariables {
  readonly input: TemplateInput;
  /** `$context`: requestId, authorizer (claims or the Lambda authorizer's context), identity, stage, … */
  readonly context: Readonly<Record<string, unknown>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
}

/** A template could not be rendered (AWS answers such a request with a 500). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** Velocity has no null: an absent value. velocityjs would print JavaScript's null as "null", so nulls become absent. */
function withoutNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value === 'object' && value !== undefined) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (v === null ? [] : [[k, withoutNulls(v)]])));
  }
  return value;
}

function inputObject(input: TemplateInput) {
  let parsed: { ok: true; value: unknown } | { ok: false } | undefined;
  const payload = () => {
    if (!parsed) {
      try {
        parsed = { ok: true, value: input.body === '' ? {} : JSON.parse(input.body) };
      } catch {
        parsed = { ok: false };
      }
    }
    if (!parsed.ok) throw new TemplateError('the payload is not JSON, so $input.path and $input.json cannot read it');
    return parsed.value;
  };
  const query = (path: unknown) => JSONPath({ path: String(path), json: payload() as object, wrap: false });
  const params = { path: { ...input.params?.path }, querystring: { ...input.params?.querystring }, header: { ...input.params?.header } };
  return {
    body: input.body,
    /** The JSON text of what the JSONPath selects. */
    json: (path: unknown) => JSON.stringify(query(path) ?? null),
    /** What the JSONPath selects, as an object a template can walk. */
    path: (path: unknown) => withoutNulls(query(path)),
    /** All parameters (`path`, `querystring`, `header`), or one by name: path first, then query string, then header. */
    params: (name?: unknown) => (name === undefined ? params : (params.path[String(name)] ?? params.querystring[String(name)] ?? params.header[String(name)] ?? '')),
  };
}

const util = {
  escapeJavaScript: (s: unknown) => escapeJavaScript(String(s ?? '')),
  parseJson: (s: unknown) => withoutNulls(JSON.parse(String(s))),
  urlEncode: (s: unknown) => urlEncode(String(s ?? '')),
  urlDecode: (s: unknown) => urlDecode(String(s ?? '')),
  base64Encode: (s: unknown) => Buffer.from(String(s ?? ''), 'utf8').toString('base64'),
  base64Decode: (s: unknown) => Buffer.from(String(s ?? ''), 'base64').toString('utf8'),
};

type Payload = { property: string; params: unknown[]; context: unknown };

/** java.lang.String and java.util.Map methods on the values a template holds (velocityjs asks these first). */
const customMethodHandlers = [
  {
    uid: 'java-string',
    match: ({ property, context }: Payload) => typeof context === 'string' && property in JAVA_STRING_METHODS,
    resolve: ({ property, params, context }: Payload) => JAVA_STRING_METHODS[property](context as string, ...params),
  },
  {
    uid: 'java-map',
    match: ({ property, context }: Payload) =>
      typeof context === 'object' && context !== null && !Array.isArray(context) && property in JAVA_MAP_METHODS && !(property in (context as object)),
    resolve: ({ property, params, context }: Payload) => JAVA_MAP_METHODS[property](context as Record<string, unknown>, ...params),
  },
];

const compiled = new Map<string, Compile>();

/** Renders a mapping template as API Gateway does. */
export function renderTemplate(template: string, variables: TemplateVariables): string {
  let compile = compiled.get(template);
  if (!compile) {
    compile = new Compile(parse(template), { customMethodHandlers } as ConstructorParameters<typeof Compile>[1]);
    compiled.set(template, compile);
  }
  return compile.render({
    input: inputObject(variables.input),
    context: withoutNulls(variables.context),
    stageVariables: { ...variables.stageVariables },
    util,
  });
}
