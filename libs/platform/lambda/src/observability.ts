import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/** The logger and tracer of one function, created once per cold start. */
export interface Observability {
  readonly logger: Logger;
  readonly tracer: Tracer;
}

type LogKeys = Parameters<Logger['appendKeys']>[0];
type LoggerOptions = NonNullable<ConstructorParameters<typeof Logger>[0]>;

/**
 * Powertools' Logger, taking an invocation's context (Lambda context, correlation id, cleared
 * temporary keys) when it is first needed rather than when the invocation starts: an
 * invocation that writes no line (an authorizer allowing a caller, at INFO) then costs the
 * logger nothing, instead of three rounds of Powertools' key handling. Every line written, and
 * every read or change of the keys, sees exactly what resetKeys + addContext +
 * setCorrelationId at the start would have left; the cold-start flag is taken when the
 * invocation starts, so only the first invocation reports a cold start.
 */
class FunctionLogger extends Logger {
  // Plain (not #private) fields: Logger's constructor may already write buffered lines, and so
  // reach settle(), before a subclass's #private members exist.
  private pending?: { context?: Context; correlationId?: string; coldStart: boolean };
  private coldStartOfPending?: boolean;

  /** The start of an invocation: its context, applied by the next line or key operation. */
  beginInvocation(context: Context | undefined, correlationId: string | undefined): void {
    this.pending = { context, correlationId, coldStart: context ? this.getColdStart() : false };
  }

  private settle(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    super.resetKeys();
    if (pending.context) {
      this.coldStartOfPending = pending.coldStart;
      try {
        super.addContext(pending.context);
      } finally {
        this.coldStartOfPending = undefined;
      }
    }
    if (pending.correlationId) super.setCorrelationId(pending.correlationId);
  }

  protected override getColdStart(): boolean {
    return this.coldStartOfPending ?? super.getColdStart();
  }

  protected override createAndPopulateLogItem(...args: Parameters<Logger['createAndPopulateLogItem']>): ReturnType<Logger['createAndPopulateLogItem']> {
    this.settle();
    return super.createAndPopulateLogItem(...args);
  }

  override addContext(context: Parameters<Logger['addContext']>[0]): void {
    this.settle();
    super.addContext(context);
  }

  override appendKeys(attributes: LogKeys): void {
    this.settle();
    super.appendKeys(attributes);
  }

  override appendPersistentKeys(attributes: LogKeys): void {
    this.settle();
    super.appendPersistentKeys(attributes);
  }

  override removeKeys(keys: string[]): void {
    this.settle();
    super.removeKeys(keys);
  }

  override removePersistentKeys(keys: string[]): void {
    this.settle();
    super.removePersistentKeys(keys);
  }

  override resetKeys(): void {
    this.settle();
    super.resetKeys();
  }

  override getCorrelationId(): unknown {
    this.settle();
    return super.getCorrelationId();
  }

  override createChild(options?: LoggerOptions): Logger {
    this.settle();
    return super.createChild(options);
  }
}

/** Powertools' Tracer, whose cold-start flag can be used up without annotating a segment. */
class FunctionTracer extends Tracer {
  /** Powertools' cold-start flag (true on an on-demand environment's first invocation only), used up. */
  takeColdStart(): boolean {
    return this.getColdStart();
  }
}

export function createObservability(serviceName: string): Observability {
  return {
    logger: new FunctionLogger({ serviceName }),
    tracer: new FunctionTracer({ serviceName }),
  };
}

const SAMPLED = /(?:^|;)Sampled=1(?:;|$)/;

/**
 * Did X-Ray sample this request? What Powertools' isRequestXRaySampled answers (the trace
 * header from the runtime's invoke store, else _X_AMZN_TRACE_ID; its Sampled field "1"), read
 * with one test instead of taking the whole header apart into an object on every invocation.
 */
export function requestSampled(): boolean {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId(): string | undefined } } }).awslambda?.InvokeStore;
  const header = store?.getXRayTraceId() ?? process.env['_X_AMZN_TRACE_ID'];
  return header !== undefined && SAMPLED.test(header.trim());
}

type Subsegment = NonNullable<ReturnType<Tracer['getSegment']>>;
interface HandlerSubsegment {
  readonly parent: Subsegment;
  readonly segment: Subsegment;
  closed: boolean;
}

/**
 * The `## handler` subsegment of a sampled invocation, or undefined when nothing will be
 * recorded: tracing off (outside Lambda, or POWERTOOLS_TRACE_ENABLED=false), or a request X-Ray
 * did not sample. A subsegment of an unsampled request is never sent to X-Ray, so building,
 * annotating and closing one would be work for nothing on every such invocation (most of
 * them, under X-Ray's default rule of one request a second and 5% of the rest); the cold-start
 * flag is still used up, so that the first sampled invocation is not annotated as a cold start
 * (a Tracer made elsewhere than createObservability keeps the full path: its flag is not reachable).
 * Calls the function makes (captured AWS SDK clients, http) still carry the unsampled trace
 * header from the segment Lambda gives the invocation.
 */
function openHandlerSubsegment(tracer: Tracer): HandlerSubsegment | undefined {
  if (!tracer.isTracingEnabled()) return undefined;
  if (tracer instanceof FunctionTracer && !requestSampled()) {
    tracer.takeColdStart();
    return undefined;
  }
  const parent = tracer.getSegment();
  if (!parent) return undefined;
  const segment = parent.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
  tracer.setSegment(segment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  return { parent, segment, closed: false };
}

/** Records the invocation's outcome on its subsegment (the response, or the error), closes it and restores the parent. */
function closeHandlerSubsegment(tracer: Tracer, traced: HandlerSubsegment, outcome: { value: unknown } | { error: unknown }): void {
  if (traced.closed) return;
  traced.closed = true;
  try {
    if ('value' in outcome) tracer.addResponseAsMetadata(outcome.value, process.env._HANDLER);
    else tracer.addErrorAsMetadata(outcome.error as Error);
  } finally {
    traced.segment.close();
    tracer.setSegment(traced.parent);
  }
}

/**
 * Runs one invocation the way Powertools' injectLambdaContext and captureLambdaHandler
 * middlewares do: Lambda context and correlation id on every log line, and for a sampled
 * request a `## handler` subsegment with the cold-start annotation, the response or error as
 * metadata.
 *
 * `run` may answer directly or with a promise; the result is always a promise. An answer
 * given directly costs no further promise here: deployed with active tracing, X-Ray's context
 * tracking (an async hook) runs for every promise an invocation makes.
 */
export function instrumented<T>(
  { logger, tracer }: Observability,
  context: Context | undefined,
  correlationId: string | undefined,
  run: () => T | Promise<T>,
): Promise<T> {
  let traced: HandlerSubsegment | undefined;
  try {
    if (logger instanceof FunctionLogger) {
      logger.beginInvocation(context, correlationId);
    } else {
      logger.resetKeys();
      if (context) logger.addContext(context);
      if (correlationId) logger.setCorrelationId(correlationId);
    }
    traced = openHandlerSubsegment(tracer);
    const result = run();
    if (!traced) return result instanceof Promise ? result : Promise.resolve(result);
    const subsegment = traced;
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          closeHandlerSubsegment(tracer, subsegment, { value });
          return value;
        },
        (error: unknown) => {
          closeHandlerSubsegment(tracer, subsegment, { error });
          throw error;
        },
      );
    }
    closeHandlerSubsegment(tracer, subsegment, { value: result });
    return Promise.resolve(result);
  } catch (error) {
    if (traced) {
      try {
        closeHandlerSubsegment(tracer, traced, { error });
      } catch {
        // the invocation's own error is its answer, not one from recording it
      }
    }
    return Promise.reject(error);
  }
}

/**
 * How every AWS SDK client of a function talks to its service: a connection is given up after
 * 1 s and an answer after 3 s, so a hung dependency becomes a TimeoutError (transient: the SDK,
 * the consumer and the workflow retry it) well within the function's own timeout, instead of
 * the invocation hanging until Lambda kills it.
 */
export const CLIENT_CONFIG = { requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } } as const;

/** An AWS SDK client, made once per cold start with CLIENT_CONFIG and traced by the function's tracer. */
export function awsClient<C extends object>(obs: Observability, Client: new (config: typeof CLIENT_CONFIG) => C): C {
  return obs.tracer.captureAWSv3Client(new Client(CLIENT_CONFIG));
}
