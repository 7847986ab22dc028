import type {
  functionInvoker,
  LocalDynamoDb,
  LocalIam,
  LocalMessaging,
  LocalStepFunctions,
  QueueResources,
  SystemRoles,
} from '@serverless-orders/local-aws';
import type { IdentityProvider } from './cognito/identity-provider';
import type { UserPool } from './cognito/user-pool';
import type { FunctionRuntime } from './lambda/function-runtime';
import type { StackOptions } from './options';
import type { ExecutionJournal } from './stepfunctions/execution-journal';

// What the steps of the start-up (one per service, in each service's folder) share: the names
// infra would give, and the state each step hands to the next.

export const ACCOUNT_ID = '000000000000';
export const API_ID = 'ordlocal01';
export const PREFIX = 'serverless-orders-local';
export const NAMES = {
  userPool: `${PREFIX}-users`,
  userPoolClient: `${PREFIX}-client`,
  table: `${PREFIX}-orders`,
  idempotencyTable: `${PREFIX}-idempotency`,
  queue: `${PREFIX}-orders`,
  deadLetterQueue: `${PREFIX}-orders-dlq`,
  topic: `${PREFIX}-notifications`,
  notificationQueue: `${PREFIX}-notifications-inbox`,
  stateMachine: `${PREFIX}-order-workflow`,
};

export interface StackEnvironment {
  /** The workspace root: dist/apps/* and the data directory are found from it. */
  readonly root: string;
  readonly log: (line: string) => void;
}

export type Cleanups = Array<() => Promise<void> | void>;

/** Everything the steps of the start-up hand to each other. */
export interface Started {
  readonly options: StackOptions;
  readonly env: StackEnvironment;
  readonly dataDir: string;
  readonly cleanups: Cleanups;
  /** What stops the triggers (the queue's poller, the schedules): the first thing a stop does after the gateway. */
  readonly triggerStops: Cleanups;
  /** Set when the stack starts to stop: the gateway answers 503. */
  stopping: boolean;
  /** Set once the drain is over: the executions aborted from then on stay in the journal, to start again. */
  aborting: boolean;
  /** With --persist: the running executions on disk, started again at the next start. */
  journal?: ExecutionJournal;
  iam: LocalIam;
  roles: SystemRoles;
  store: LocalDynamoDb;
  messaging: LocalMessaging;
  idp: IdentityProvider;
  queues: QueueResources;
  pool: UserPool;
  sfn: LocalStepFunctions;
  sfnEndpoint: string;
  stateMachineArn: string;
  functions: Map<string, FunctionRuntime>;
  environments: Map<string, Record<string, string>>;
  invoke: ReturnType<typeof functionInvoker>;
  apiUrl: string;
  docsUrl: string;
}
