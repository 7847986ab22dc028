import { describeTopology } from './test/topology';

// The whole stack with the Lambda REQUEST authorizer (apps/authorizer), under Pulumi mocks.
describeTopology('lambda');
