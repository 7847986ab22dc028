import * as pulumi from '@pulumi/pulumi';

/**
 * Pulumi mocks for the program's tests: no AWS, no Pulumi CLI. Every resource answers its
 * inputs plus the attributes AWS would compute (ARNs, URLs, ids), in a fixed account and region.
 */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** A resource of a provider (true), or a component (false). */
  readonly custom: boolean;
}

const arn = (service: string, resource: string, region = REGION) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;

function computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const physical = (inputs['name'] as string | undefined) ?? `${name}-0000000`;
  switch (type) {
    case 'aws:dynamodb/table:Table':
      return { name: physical, arn: arn('dynamodb', `table/${physical}`) };
    case 'aws:sqs/queue:Queue':
      return { name: physical, arn: arn('sqs', physical), url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physical}` };
    case 'aws:sns/topic:Topic':
      return { name: physical, arn: arn('sns', physical) };
    case 'aws:cognito/userPool:UserPool':
      return { id: `${REGION}_Pool${physical.length}`, arn: arn('cognito-idp', `userpool/${REGION}_Pool${physical.length}`) };
    case 'aws:cognito/userPoolClient:UserPoolClient':
      return { id: `client-${physical}`, clientSecret: `secret-of-${physical}` };
    case 'aws:lambda/function:Function': {
      const fnArn = arn('lambda', `function:${physical}`);
      return {
        name: physical,
        arn: fnArn,
        invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
      };
    }
    case 'aws:iam/role:Role':
      return { name: physical, arn: `arn:aws:iam::${ACCOUNT}:role/${physical}` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { arn: arn('logs', `log-group:${physical}`) };
    case 'aws:sfn/stateMachine:StateMachine':
      return { arn: arn('states', `stateMachine:${physical}`) };
    case 'aws:apigateway/restApi:RestApi':
      return { id: 'a1b2c3d4e5', rootResourceId: 'root1', executionArn: arn('execute-api', 'a1b2c3d4e5') };
    case 'aws:apigateway/stage:Stage':
      return { invokeUrl: `https://a1b2c3d4e5.execute-api.${REGION}.amazonaws.com/${inputs['stageName']}` };
    default:
      return {};
  }
}

/** Installs the mocks; returns the list every registered resource is appended to. */
export function installMocks(stack: string, project = 'serverless-orders'): RegisteredResource[] {
  const registered: RegisteredResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state = { ...args.inputs, ...computed(args.type, args.name, args.inputs) };
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? false });
        return { id: (state['id'] as string | undefined) ?? `${args.name}-id`, state };
      },
      call(args) {
        if (args.token === 'aws:index/getRegion:getRegion') {
          return { id: REGION, name: REGION, region: REGION, description: 'Europe (Ireland)', endpoint: `ec2.${REGION}.amazonaws.com` };
        }
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    project,
    stack,
    false,
  );
  return registered;
}

/** The value of an output, once known. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}
