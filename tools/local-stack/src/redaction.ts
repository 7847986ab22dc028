/**
 * No line the stack prints ever holds a password, a token, a SECRET_HASH or a client secret,
 * whatever printed it: the identity provider's debug output (which dumps requests, users with
 * their passwords and refresh tokens, and whole pools), the gateway, or a function logging its
 * event (the Authorization header). Each source passes its lines through `redactLine`; the
 * stack's printer passes everything once more, with the secrets it knows by value.
 *
 * Three rules, each for what the others cannot see:
 * - by name: in a JSON line, the value of any field named like a secret (…password, …secret…,
 *   …token, …tokens, SECRET_HASH, Authorization, Cookie, Session), at any depth, arrays and
 *   objects included; in text, `Name=value`, `Name: value` and `"Name": "value"` alike;
 * - by shape: JSON Web Tokens (ID and access tokens: three dot-separated base64url parts; the
 *   refresh token, an encrypted JWT in AWS: five) and `Bearer …`, wherever they appear;
 * - by value: the secrets the stack itself knows (the app client's secret, secret settings
 *   given to functions).
 */

export const REDACTED = '[redacted]';

/** Field names that look like a secret's but hold none: pagination cursors, the token_use claim. */
const NOT_SECRET = new Set(['nexttoken', 'paginationtoken', 'tokenuse', 'tokentype']);

/** Whether a field of this name holds a secret; compared without case, dashes or underscores. */
export function isSecretName(name: string): boolean {
  const k = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (NOT_SECRET.has(k)) return false;
  return (
    k.endsWith('password') ||
    k.includes('secret') ||
    k.endsWith('token') ||
    k.endsWith('tokens') ||
    k.endsWith('apikey') ||
    k === 'authorization' ||
    k === 'proxyauthorization' ||
    k === 'cookie' ||
    k === 'setcookie' ||
    k === 'session'
  );
}

/** A JWS (header.payload.signature) or JWE (five parts); the header always starts {" → eyJ. */
const JWT = /\beyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){2}(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?/g;
const BEARER = /\b(Bearer|Basic)\s+[^\s"',;)]+/gi;
/** `"Name": "value"`: JSON inside a message. */
const QUOTED_FIELD = /("([^"\\]{1,64})"\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/**
 * `Name=value` (query strings, settings), `Name: value` (headers), `Name: 'value'` (util.inspect).
 * The value is looked at, not consumed, so that a value holding another field
 * (`--env authorizer:SHARED_SECRET=…`) is searched too.
 */
const ASSIGNED_FIELD = /(?<=^|[\s,;&?{([:])([A-Za-z][\w.-]{0,63})(\s*[=:]\s*)(?=('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;,"'\])}]+))/g;

function redactAssignedFields(text: string): string {
  const ranges: Array<[number, number]> = [];
  for (const m of text.matchAll(ASSIGNED_FIELD)) {
    const value = m[3];
    const start = (m.index ?? 0) + m[0].length;
    if (!isSecretName(m[1]) || text.startsWith(REDACTED, start + (/^['"]/.test(value) ? 1 : 0))) continue;
    ranges.push([start, start + value.length]);
  }
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    out += text.slice(at, Math.max(at, start)) + (start >= at ? REDACTED : '');
    at = end;
  }
  return out + text.slice(at);
}

function redactText(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  out = out
    .replace(JWT, REDACTED)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(QUOTED_FIELD, (m, head: string, name: string) => (isSecretName(name) ? `${head}"${REDACTED}"` : m));
  return redactAssignedFields(out);
}

function redactValue(value: unknown, known: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactText(value, known);
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, known, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSecretName(key) && v !== null && v !== undefined && typeof v !== 'boolean' && v !== '' ? REDACTED : redactValue(v, known, depth + 1);
  }
  return out;
}

/** Any value, redacted: objects and arrays deeply, strings by shape and by name. */
export function redactObject<T>(value: T, known: readonly string[] = []): T {
  return redactValue(value, known, 0) as T;
}

/** `[tag] [tag] ` before a JSON line, as the stack prefixes what each part printed. */
const PREFIXED_JSON = /^((?:\[[^\]\n]*\]\s*)*)([{[].*)$/s;

/** One line, redacted: a JSON line field by field (it stays JSON), any other line as text. */
export function redactLine(line: string, known: readonly string[] = []): string {
  const m = PREFIXED_JSON.exec(line);
  if (m) {
    try {
      const parsed = JSON.parse(m[2]) as unknown;
      if (parsed !== null && typeof parsed === 'object') return `${m[1]}${JSON.stringify(redactValue(parsed, known, 0))}`;
    } catch {
      // not JSON after all: redacted as text
    }
  }
  return redactText(line, known);
}

/** The stack's printer's redaction: by name and shape, and by value for the secrets it learns as it starts. */
export class Redactor {
  readonly #known = new Set<string>();

  /** Secrets to redact wherever they appear; values too short to be a secret (under 8 characters) are not taken, so that no common word is ever redacted. */
  remember(...values: Array<string | undefined>): this {
    for (const v of values) if (v && v.length >= 8) this.#known.add(v);
    return this;
  }

  line(text: string): string {
    return redactLine(text, [...this.#known]);
  }
}
