import { describeTopology } from './test/topology';

// The whole stack with API Gateway's Cognito user-pool authorizer, under Pulumi mocks.
describeTopology('cognito');
