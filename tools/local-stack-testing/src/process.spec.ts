import { eventually, FREE_PORTS, runNode, testStackArguments } from './process';

describe('runNode', () => {
  it('returns the exit code and both streams of the program', async () => {
    const result = await runNode(['-e', 'console.log("out"); console.error("err"); process.exit(3)']);
    expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('kills a program that outlives its time, and says which', async () => {
    await expect(runNode(['-e', 'setTimeout(() => {}, 60000)'], 300)).rejects.toThrow(/did not finish in 300 ms/);
  });
});

describe('testStackArguments', () => {
  it('asks for a free port (0) for every part, then lets the caller’s arguments win', () => {
    const args = testStackArguments('/tmp/x', ['--wait-seconds', '1']);
    expect(FREE_PORTS).toEqual(['--port', '0', '--cognito-port', '0', '--dynamodb-port', '0', '--sqs-port', '0', '--sfn-port', '0']);
    expect(args.slice(0, 2)).toEqual(['--data-dir', '/tmp/x']);
    expect(args.lastIndexOf('--wait-seconds')).toBe(args.length - 2);
    expect(args).toContain('--exit-with-parent');
  });
});

describe('eventually', () => {
  it('polls until the probe answers a value', async () => {
    let calls = 0;
    await expect(eventually(async () => (++calls >= 3 ? calls : undefined), 5_000, 'three calls')).resolves.toBe(3);
  });

  it('fails after its time with what it waited for and the last error', async () => {
    await expect(
      eventually(
        async () => {
          throw new Error('still 404');
        },
        300,
        'the order',
      ),
    ).rejects.toThrow('timed out waiting for the order: still 404');
  });
});
