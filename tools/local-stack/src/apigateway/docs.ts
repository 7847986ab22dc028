import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** The Swagger UI page: the shared OpenAPI document, with the Authorize button for the token. */
export function docsPage(specUrl: string, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>${title}</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css" />
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: ${JSON.stringify(specUrl)},
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>`;
}

/** Serves /docs, /docs/openapi.json and the Swagger UI assets; false when the path is not one of them. */
export async function serveDocs(path: string, res: ServerResponse, assetsDir: string, document: () => unknown): Promise<boolean> {
  if (path === '/docs' || path === '/docs/' || path === '/docs/index.html') {
    const html = docsPage('/docs/openapi.json', 'Serverless Orders API (local)');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
    res.end(html);
    return true;
  }
  if (path === '/docs/openapi.json') {
    const text = JSON.stringify(document(), null, 2);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return true;
  }
  const asset = path.startsWith('/docs/') ? path.slice('/docs/'.length) : undefined;
  if (asset && ASSETS[asset]) {
    const body = await readFile(join(assetsDir, asset));
    res.writeHead(200, { 'Content-Type': ASSETS[asset], 'Content-Length': body.length, 'Cache-Control': 'max-age=3600' });
    res.end(body);
    return true;
  }
  return false;
}
