import { createObservability, resolve } from '@serverless-orders/platform-lambda';
import { createContainer, TOKENS } from './container';
import { createReconcilerHandler } from './handler';

const obs = createObservability('reconcile-orders');
const container = createContainer(obs);

/** Scheduled: finishes or re-drives orders left non-final beyond the workflow's time bound. */
export const handler = createReconcilerHandler(obs, resolve(container, TOKENS.Metrics), resolve(container, TOKENS.Reconcile));
