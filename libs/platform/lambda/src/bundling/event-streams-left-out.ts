/**
 * Stands in for @smithy/core/event-streams in the Lambda bundles (an esbuild alias in
 * lambda-bundle.config.ts).
 *
 * The SDK loads it, with import(), only to send or read an operation's event stream; no
 * operation of the AWS clients this workspace depends on has one (lambda-bundle.spec.ts
 * checks every command of every @aws-sdk/client-* in package.json). Left in, its 20 KiB would
 * be parsed at every cold start for nothing.
 */
function leftOut(): never {
  throw new Error('event streams are left out of the Lambda bundles: no operation of the clients they use has one (see lambda-bundle.config.ts)');
}

export class EventStreamSerde {
  constructor() {
    leftOut();
  }
}

export const eventStreamSerdeProvider = (): never => leftOut();
