import { parseArn, type PolicyDocument } from '@serverless-orders/function-catalogue';

/**
 * The roles' policies are defined with the catalogue (libs/function-catalogue role-policies.ts),
 * so that the local stack enforces the very documents infra attaches. What only infra needs
 * (the region's API Gateway logging role, trust policies) is here.
 */
export {
  functionPolicy,
  parseArn,
  queueSendPolicy,
  schedulerPolicy,
  workflowPolicy,
  type PolicyDocument,
  type SystemArns,
} from '@serverless-orders/function-catalogue';

const document = (statements: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

/**
 * The region's API Gateway CloudWatch role (account setting), which stage access logs need.
 * Scoped to this account's and region's log groups: API Gateway names its own groups.
 */
export function apiGatewayLoggingPolicy(logGroupArn: string): PolicyDocument {
  const { partition, region, account } = parseArn(logGroupArn);
  const groups = `arn:${partition}:logs:${region}:${account}:log-group:*`;
  return document([
    {
      Sid: 'ApiGatewayLogs',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
        'logs:GetLogEvents',
        'logs:FilterLogEvents',
      ],
      Resource: [groups, `${groups}:log-stream:*`],
    },
  ]);
}

/** A trust policy letting one AWS service assume the role. */
export function assumeRolePolicy(service: string, conditions?: Record<string, unknown>) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(conditions ? { Condition: conditions } : {}),
      },
    ],
  };
}

