import { deployedTarget, targetFromOutputs, TargetError } from './target';

const outputs = {
  apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev/',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Abc',
  userPoolClientId: 'client',
  userPoolClientSecret: 'secret',
  cognitoEndpoint: 'http://127.0.0.1:9229',
};

describe('targets', () => {
  it('reads the local stack’s outputs, with its identity provider', () => {
    expect(targetFromOutputs(outputs, 'local', 'x')).toEqual({
      kind: 'local',
      apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Abc',
      userPoolClientId: 'client',
      userPoolClientSecret: 'secret',
      cognitoEndpoint: 'http://127.0.0.1:9229',
    });
  });

  it('reads a deployed stack’s Pulumi outputs, talking to AWS', () => {
    const calls: unknown[][] = [];
    const target = deployedTarget('dev', 'infra', ((cmd: string, args: string[]) => {
      calls.push([cmd, ...args]);
      return JSON.stringify(outputs);
    }) as never);
    expect(calls[0]).toEqual(['pulumi', 'stack', 'output', '--json', '--show-secrets', '--stack', 'dev', '--cwd', 'infra']);
    expect(target.kind).toBe('deployed');
    expect(target.cognitoEndpoint).toBeUndefined();
  });

  it('names what is missing', () => {
    expect(() => targetFromOutputs({ apiUrl: 'x' }, 'local', 'outputs.json')).toThrow('outputs.json lacks region, userPoolId, userPoolClientId');
    expect(() =>
      deployedTarget('dev', 'infra', (() => {
        throw new Error('no pulumi');
      }) as never),
    ).toThrow(TargetError);
  });
});
