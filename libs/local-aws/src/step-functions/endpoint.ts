import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Intercept } from '../front-door';
import { readBody, sendJson } from '../http';
import { SfnError, type LocalStepFunctions } from './local-step-functions';

/**
 * The Step Functions API over HTTP (AWS JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Operation>`),
 * for the SDK and the AWS CLI. `intercept` sees each request first and may answer it instead
 * (the caller's permissions).
 */
export function sfnRequestHandler(sfn: LocalStepFunctions, log: (line: string) => void = () => undefined, intercept?: Intercept) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const [service, operation] = target.split('.');
    if (req.method !== 'POST' || service !== 'AWSStepFunctions' || !operation) {
      sendJson(res, 400, { __type: 'UnknownOperationException', message: 'Expected a POST with X-Amz-Target: AWSStepFunctions.<Operation>' }, 'application/x-amz-json-1.0');
      return;
    }
    let body: Record<string, unknown>;
    try {
      const text = await readBody(req);
      const refused = await intercept?.(req, Buffer.from(text, 'utf8'));
      if (refused) {
        res.writeHead(refused.status, { ...refused.headers, 'Content-Length': Buffer.byteLength(refused.body) });
        res.end(refused.body);
        return;
      }
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      sendJson(res, 400, { __type: 'SerializationException', message: 'The request body is not JSON' }, 'application/x-amz-json-1.0');
      return;
    }
    try {
      const result = await sfn.operation(operation, body);
      sendJson(res, 200, result, 'application/x-amz-json-1.0');
    } catch (error) {
      if (error instanceof SfnError) {
        sendJson(res, 400, { __type: error.type, message: error.message }, 'application/x-amz-json-1.0');
      } else {
        log(`step functions ${operation} failed: ${(error as Error).stack ?? error}`);
        sendJson(res, 500, { __type: 'InternalServerError', message: (error as Error).message }, 'application/x-amz-json-1.0');
      }
    }
  };
}
