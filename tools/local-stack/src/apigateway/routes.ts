import { INTEGRATION_EXTENSION, openApiDocument, type Integration } from '@serverless-orders/http-contract';

/** One operation of the API as the gateway serves it, read from the shared OpenAPI document. */
export interface GatewayRoute {
  readonly method: string;
  /** The resource template: `/orders/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly integration: Integration;
  /**
   * The request body's model, when the operation has one: the JSON Schema its requestBody gives
   * application/json in the document, which API Gateway's request validator checks bodies against.
   */
  readonly bodyModel?: object;
  /** The status the integration answers on success (202 for the queue). */
  readonly successStatus: number;
}

type Operation = {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, unknown>;
} & Record<string, unknown>;

/**
 * The route table from the OpenAPI document, as API Gateway imports it: every path and method,
 * its integration from the `x-orders-integration` extension, and its request body's model.
 */
export function routesFromDocument(document: { paths: Record<string, Record<string, unknown>> } = openApiDocument()): GatewayRoute[] {
  const routes: GatewayRoute[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(operations)) {
      const op = raw as Operation;
      const integration = op[INTEGRATION_EXTENSION] as Integration | undefined;
      if (!integration) throw new Error(`${method.toUpperCase()} ${path} has no ${INTEGRATION_EXTENSION}`);
      const bodyModel = op.requestBody?.content?.['application/json']?.schema;
      if (op.requestBody && !bodyModel) throw new Error(`${method.toUpperCase()} ${path} has a request body but no application/json model to validate it`);
      const success = Object.keys(op.responses ?? {}).find((status) => /^2\d\d$/.test(status));
      routes.push({
        method: method.toUpperCase(),
        path,
        operationId: String(op.operationId),
        integration,
        ...(bodyModel ? { bodyModel } : {}),
        successStatus: Number(success ?? 200),
      });
    }
  }
  return routes;
}

/** The route a method and a concrete path match, with its path parameters (literal segments win over parameters). */
export function matchGatewayRoute(
  routes: readonly GatewayRoute[],
  method: string,
  path: string,
): { route: GatewayRoute; pathParameters: Record<string, string> } | undefined {
  return bestMatch(
    routes.filter((r) => r.method === method.toUpperCase()),
    path,
  );
}

/**
 * The resource (path template) a concrete path is, whatever the method: `/orders/abc` →
 * `/orders/{id}`. API Gateway answers OPTIONS on every resource of the API (the CORS preflight).
 */
export function matchGatewayResource(routes: readonly GatewayRoute[], path: string): string | undefined {
  return bestMatch(routes, path)?.route.path;
}

function bestMatch(routes: readonly GatewayRoute[], path: string): { route: GatewayRoute; pathParameters: Record<string, string> } | undefined {
  const segments = path.split('/').filter(Boolean);
  let best: { route: GatewayRoute; pathParameters: Record<string, string>; literals: number } | undefined;
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    let literals = 0;
    const ok = pattern.every((part, i) => {
      const param = /^\{(\w+)\}$/.exec(part);
      if (param) {
        try {
          pathParameters[param[1]] = decodeURIComponent(segments[i]);
        } catch {
          pathParameters[param[1]] = segments[i];
        }
        return true;
      }
      literals++;
      return part === segments[i];
    });
    if (ok && (!best || literals > best.literals)) best = { route, pathParameters, literals };
  }
  return best && { route: best.route, pathParameters: best.pathParameters };
}
