import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/** The logger and tracer of one function, created once per cold start. */
export interface Observability {
  readonly logger: Logger;
  readonly tracer: Tracer;
}

export function createObservability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    tracer: new Tracer({ serviceName }),
  };
}

/**
 * Runs one invocation the way Powertools' injectLambdaContext and captureLambdaHandler
 * middlewares do: Lambda context and correlation id on every log line, a `## handler`
 * subsegment with the cold-start annotation, the response or error as metadata.
 */
export async function instrumented<T>(
  { logger, tracer }: Observability,
  context: Context | undefined,
  correlationId: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  logger.resetKeys();
  if (context) logger.addContext(context);
  if (correlationId) logger.setCorrelationId(correlationId);

  const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
  const segment = parent?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
  if (segment) tracer.setSegment(segment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    const result = await run();
    tracer.addResponseAsMetadata(result, process.env._HANDLER);
    return result;
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    if (parent && segment) {
      segment.close();
      tracer.setSegment(parent);
    }
  }
}
