import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { inject, injectable } from 'inversify';
import {
  allowPolicy,
  AUTH_TOKENS,
  extractToken,
  singleHeaderValue,
  type AuthorizerAllowResult,
  type TokenVerifier,
  type VerificationFailure,
} from '@serverless-orders/auth-domain';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';
import { AUTHORIZER_TOKENS } from './tokens';

export type AuthorizerEvent = APIGatewayRequestAuthorizerEvent | APIGatewayTokenAuthorizerEvent;

/**
 * The Lambda authorizer, whatever the token scheme: take the token from its header (exactly
 * one value of it), verify it through the TokenVerifier port, answer Allow on the whole stage,
 * or throw Error("Unauthorized") (API Gateway's 401). A Deny policy would be a 403, so there is none.
 * The token is never logged; the reason for each refusal is.
 */
@injectable()
export class RequestAuthorizer {
  constructor(
    @inject(AUTH_TOKENS.TokenVerifier) private readonly verifier: TokenVerifier,
    @inject(AUTHORIZER_TOKENS.Observability) private readonly obs: Observability,
    @inject(AUTHORIZER_TOKENS.TokenHeader) private readonly tokenHeader: string,
  ) {}

  handle(event: AuthorizerEvent, context?: Context): Promise<AuthorizerAllowResult> {
    const requestId = (event as APIGatewayRequestAuthorizerEvent | null | undefined)?.requestContext?.requestId;
    return instrumented(this.obs, context, requestId, () => this.decide(event));
  }

  private async decide(event: AuthorizerEvent): Promise<AuthorizerAllowResult> {
    let failure: VerificationFailure;
    try {
      const header = this.headerOf(event);
      const extracted = header.ok ? extractToken(header.value) : header;
      if (!extracted.ok) {
        failure = extracted;
      } else {
        const result = await this.verifier.verify(extracted.token);
        if (result.ok) {
          const answer = allowPolicy(result.principal, event?.methodArn);
          if (answer) {
            this.obs.logger.info('allowed', { sub: result.principal.sub, token_use: result.principal.token_use });
            return answer;
          }
          failure = { ok: false, reason: 'malformed', detail: 'methodArn is not an execute-api ARN' };
        } else {
          failure = result;
        }
      }
    } catch (error) {
      // The port promises not to throw; if a verifier does anyway, refuse rather than crash.
      failure = { ok: false, reason: 'verifier-unavailable', detail: `verifier threw ${error instanceof Error ? error.name : typeof error}` };
    }
    const log = failure.reason === 'verifier-unavailable' ? this.obs.logger.error : this.obs.logger.warn;
    log.call(this.obs.logger, 'denied', { reason: failure.reason, detail: failure.detail });
    throw new Error('Unauthorized');
  }

  /**
   * The identity header's one value: a TOKEN event's authorizationToken, or the configured
   * header of a REQUEST event, which API Gateway hands over with every value sent
   * (multiValueHeaders): more than one is ambiguous and refused.
   */
  private headerOf(event: AuthorizerEvent): { ok: true; value: string | undefined } | VerificationFailure {
    if (!event || typeof event !== 'object') return { ok: true, value: undefined };
    if (event.type === 'TOKEN') return { ok: true, value: typeof event.authorizationToken === 'string' ? event.authorizationToken : undefined };
    return singleHeaderValue(event.headers, event.multiValueHeaders, this.tokenHeader);
  }
}
