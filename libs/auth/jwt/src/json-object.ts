import { safeJsonParse, type Json } from 'aws-jwt-verify/safe-json-parse';

/**
 * JSON.parse, with what aws-jwt-verify's safeJsonParse guarantees, at the cost of JSON.parse.
 *
 * safeJsonParse passes a reviver that deletes every object's own `__proto__` and `constructor`
 * keys. JSON.parse never sets a prototype itself (it defines `__proto__` as a plain own
 * property), but an own `__proto__` or `constructor` key is what turns a later merge or
 * `obj.constructor.prototype` lookup into prototype pollution, so the library drops them. A
 * reviver, however, makes JSON.parse call back into JavaScript for every value, which costs
 * more than the parse itself.
 *
 * A key can only be `__proto__` or `constructor` if the text spells it out, or hides it
 * behind a `\u` escape (JSON's other escapes stand for characters neither name contains).
 * So when the text has neither name and no `\u`, no object of the result has such a key,
 * the reviver would delete nothing, and JSON.parse gives exactly safeJsonParse's result.
 * Any other text goes through safeJsonParse itself.
 */
export function parseJsonSafely(text: string): Json {
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) return safeJsonParse(text);
  return JSON.parse(text) as Json;
}
