/**
 * What API Gateway's mapping templates compute with Java: `$util.escapeJavaScript` (Apache
 * Commons Lang's StringEscapeUtils.escapeJavaScript), `$util.urlEncode` (java.net.URLEncoder,
 * UTF-8) and the java.lang.String methods templates call (`matches`, `replaceAll`, …). The
 * local gateway renders infra's templates with these, so a template behaves as it does in AWS,
 * single quotes and all.
 */

const hex = (code: number) => code.toString(16).toUpperCase();

/**
 * Java's escapeJavaScript: `'` → `\'` (which is not valid JSON: templates must turn `\'` back
 * into `'`), `"` → `\"`, `\` → `\\`, `/` → `\/`, control characters as `\b \t \n \f \r` or
 * `\u00XX`, every character above 0x7f as `\uXXXX`.
 */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (code > 0xfff) out += `\\u${hex(code)}`;
    else if (code > 0xff) out += `\\u0${hex(code)}`;
    else if (code > 0x7f) out += `\\u00${hex(code)}`;
    else if (code < 32) {
      const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += named[code] ?? (code > 0xf ? `\\u00${hex(code)}` : `\\u000${hex(code)}`);
    } else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '/') out += '\\/';
    else out += ch;
  }
  return out;
}

/** java.net.URLEncoder.encode(text, "UTF-8"): letters, digits and `.-*_` stay, a space is `+`, the rest %XX of its UTF-8 bytes. */
export function urlEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** java.net.URLDecoder.decode(text, "UTF-8"). */
export function urlDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** A Java regular expression as a JavaScript one (the constructs templates use are the same in both). */
const javaRegex = (pattern: string, flags = '') => new RegExp(pattern, flags);

/** Java's replacement string: `$n` refers to a group, `\x` is a literal x. */
const javaReplacement = (replacement: string) => replacement.replace(/\\(.)/g, (_m, c: string) => (c === '$' ? '$$' : c));

type Method = (text: string, ...args: unknown[]) => unknown;

/** java.lang.String methods whose JavaScript namesakes differ, or that JavaScript lacks. */
export const JAVA_STRING_METHODS: Readonly<Record<string, Method>> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  equals: (s, other) => s === other,
  equalsIgnoreCase: (s, other) => typeof other === 'string' && s.toLowerCase() === other.toLowerCase(),
  contains: (s, part) => s.includes(String(part)),
  matches: (s, pattern) => javaRegex(`^(?:${String(pattern)})$`).test(s),
  replaceAll: (s, pattern, replacement) => s.replace(javaRegex(String(pattern), 'g'), javaReplacement(String(replacement))),
  replaceFirst: (s, pattern, replacement) => s.replace(javaRegex(String(pattern)), javaReplacement(String(replacement))),
  // Java trims every character up to U+0020; JavaScript's trim also takes Unicode spaces.
  // eslint-disable-next-line no-control-regex -- control characters are what Java's trim removes
  trim: (s) => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, ''),
};

/** java.util.Map methods on the plain objects a template sees as maps. */
export const JAVA_MAP_METHODS: Readonly<Record<string, (map: Record<string, unknown>, ...args: unknown[]) => unknown>> = {
  get: (m, key) => (Object.prototype.hasOwnProperty.call(m, String(key)) ? m[String(key)] : undefined),
  containsKey: (m, key) => Object.prototype.hasOwnProperty.call(m, String(key)),
  keySet: (m) => Object.keys(m),
  values: (m) => Object.values(m),
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
};
