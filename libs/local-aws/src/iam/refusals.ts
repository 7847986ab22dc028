import { randomUUID } from 'node:crypto';
import type { Answer } from '../front-door';
import type { LocalService, ParsedRequest } from './calls';

/** Why a request is refused before it reaches the service. */
export type RefusalKind =
  /** No policy of the caller's role allows one of its calls. */
  | 'access-denied'
  /** The signature is not the one the credential's secret gives. */
  | 'signature'
  /** The session token is not the one issued with the access key. */
  | 'token'
  /** The Authorization header (or presigned query) is not SigV4's form. */
  | 'incomplete';

/** How each protocol names each refusal: JSON `__type` (coral's), the query protocol's code, the HTTP status. */
type Codes = Record<RefusalKind, { readonly type: string; readonly query: string; readonly status: number }>;

/** The names every service uses; the services differ in status (and SNS in its denial). */
const codes = (status: number, denial: { type: string; query: string } = { type: 'AccessDeniedException', query: 'AccessDenied' }): Codes => ({
  'access-denied': { ...denial, status },
  signature: { type: 'InvalidSignatureException', query: 'SignatureDoesNotMatch', status },
  token: { type: 'UnrecognizedClientException', query: 'InvalidClientTokenId', status },
  incomplete: { type: 'IncompleteSignatureException', query: 'IncompleteSignature', status: 400 },
});

const CODES: Record<LocalService, Codes> = {
  // DynamoDB and Step Functions answer every client error 400, with coral's shape names.
  dynamodb: codes(400),
  states: codes(400),
  // SQS answers 403, and in its JSON protocol names the query protocol's code in x-amzn-query-error.
  sqs: codes(403),
  // SNS speaks the query protocol only; a denial is its AuthorizationError.
  sns: codes(403, { type: 'AuthorizationErrorException', query: 'AuthorizationError' }),
};

const XML_NAMESPACES: Partial<Record<LocalService, string>> = {
  sqs: 'http://queue.amazonaws.com/doc/2012-11-05/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
};

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * How each service writes an action in its denial: SNS as `SNS:Publish`, SQS in lower case
 * (`sqs:sendmessage`), the others as the action is written (`dynamodb:PutItem`).
 */
export function actionAsWritten(service: LocalService | undefined, action: string): string {
  const [prefix, operation] = action.split(':');
  if (service === 'sns') return `SNS:${operation}`;
  if (service === 'sqs') return `${prefix}:${operation.toLowerCase()}`;
  return action;
}

/** IAM's sentence for an identity whose policies allow nothing of the call. */
export function accessDeniedMessage(service: LocalService | undefined, principalArn: string, action: string, resource: string): string {
  const written = actionAsWritten(service, action);
  return `User: ${principalArn} is not authorized to perform: ${written} on resource: ${resource} because no identity-based policy allows the ${written} action`;
}

export const SIGNATURE_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const TOKEN_MESSAGE = 'The security token included in the request is invalid.';

/** The service's own answer refusing a request, in the protocol it came in. */
export function refusal(request: Pick<ParsedRequest, 'service' | 'protocol'>, kind: RefusalKind, message: string): Answer {
  const code = CODES[request.service][kind];
  const requestId = randomUUID();
  if (request.protocol === 'query') {
    const body =
      `<?xml version="1.0"?><ErrorResponse xmlns="${XML_NAMESPACES[request.service] ?? ''}"><Error><Type>Sender</Type>` +
      `<Code>${code.query}</Code><Message>${xmlText(message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: code.status, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': code.type };
  if (request.service === 'sqs') headers['x-amzn-query-error'] = `${code.query};Sender`;
  // DynamoDB writes "Message", the others "message"; the SDK reads either.
  const messageKey = request.service === 'dynamodb' ? 'Message' : 'message';
  return { status: code.status, headers, body: JSON.stringify({ __type: `com.amazon.coral.service#${code.type}`, [messageKey]: message }) };
}
