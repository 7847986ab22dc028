// Users of the local stack's user pool, as its integration tests sign them up (tools/local-stack-testing).
export { call, cognitoClient, newUser, type User } from '@serverless-orders/local-stack-testing';
