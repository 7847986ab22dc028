/** The outputs every stack exports (what the CLI and the local stack's outputs.json name the same way). */
export const STACK_OUTPUTS = [
  'apiUrl',
  'authorizer',
  'deadLetterQueueArn',
  'deadLetterQueueUrl',
  'operationsTopicArn',
  'orderQueueUrl',
  'region',
  'stateMachineArn',
  'tableName',
  'topicArn',
  'userPoolClientId',
  'userPoolClientSecret',
  'userPoolId',
];
