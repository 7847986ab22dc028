import { escapeJavaScript, JAVA_STRING_METHODS, urlDecode, urlEncode } from './java-semantics';
import { renderTemplate } from './vtl';

describe('API Gateway’s Java semantics', () => {
  it('escapeJavaScript escapes as Commons Lang does, single quote included (which is not valid JSON)', () => {
    expect(escapeJavaScript(`He said "don't" / \\ ok`)).toBe(`He said \\"don\\'t\\" \\/ \\\\ ok`);
    expect(escapeJavaScript('tab\tnl\ncr\rbs\bff\f')).toBe('tab\\tnl\\ncr\\rbs\\bff\\f');
    expect(escapeJavaScript('\u0000\u0007\u001b')).toBe('\\u0000\\u0007\\u001B');
    expect(escapeJavaScript('é€😀')).toBe('\\u00E9\\u20AC\\uD83D\\uDE00');
  });

  it('urlEncode is URLEncoder’s form encoding (a space is +, * stays)', () => {
    expect(urlEncode("a b+c&d=e/f*g~h'é")).toBe('a+b%2Bc%26d%3De%2Ff*g%7Eh%27%C3%A9');
    expect(urlDecode(urlEncode('ü 💥 +&'))).toBe('ü 💥 +&');
  });

  it('String.matches matches the whole string, replaceAll takes a regular expression', () => {
    expect(JAVA_STRING_METHODS.matches('abc', '[a-c]+')).toBe(true);
    expect(JAVA_STRING_METHODS.matches('abcd', '[a-c]+')).toBe(false);
    expect(JAVA_STRING_METHODS.replaceAll("it\\'s", "\\\\'", "'")).toBe("it's");
    expect(JAVA_STRING_METHODS.replaceAll('a.b.c', '\\.', '-')).toBe('a-b-c');
  });

  it('renders a template with Java methods on strings and maps, and no JavaScript null in the output', () => {
    const template = `#set($h = $input.params().header)$h.size()|$h.containsKey('X')|$input.params('q')|$input.body.length()|$!context.missing|$context.requestId`;
    expect(
      renderTemplate(template, {
        input: { body: '{"a":1}', params: { header: { X: '1', Y: '2' }, querystring: { q: 'v' } } },
        context: { requestId: 'r-1', missing: null },
      }),
    ).toBe('2|true|v|7||r-1');
  });

  it('reads the payload with JSONPath through $input.path and $input.json', () => {
    const body = JSON.stringify({ order: { items: [{ name: 'pizza' }], note: null } });
    expect(renderTemplate(`$input.path('$.order.items[0].name')|$input.json('$.order.items')`, { input: { body }, context: {} })).toBe('pizza|[{"name":"pizza"}]');
  });
});
