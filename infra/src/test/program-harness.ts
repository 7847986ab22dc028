import { readFileSync, writeFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { installMocks } from './pulumi-mocks';

/**
 * Runs the built Pulumi program the way Pulumi's Node.js language host does: in a process of
 * its own, from the Pulumi project directory (the caller's cwd), the bundle loaded with
 * `require` inside `runInPulumiStack`, its exports becoming the stack's outputs. Pulumi's
 * mocks stand in for the engine and AWS.
 *
 *   node program-harness.js <request.json> <result.json>
 *
 * request: { bundle, project, stack, config: { "<project>:<key>": value }, secretKeys }
 * result:  { registered: [{ type, name, custom }], outputs, secretOutputs, error? }
 *
 * The result is written to a file: the program and Pulumi's log both write to stdout.
 */

export interface HarnessRequest {
  readonly bundle: string;
  readonly project: string;
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

export interface HarnessResult {
  readonly registered: readonly { readonly type: string; readonly name: string; readonly custom: boolean }[];
  readonly outputs: Record<string, unknown>;
  /** The outputs the program exports as secrets. */
  readonly secretOutputs: readonly string[];
  /** What the program failed with, if it did. */
  readonly error?: string;
}

async function main(requestFile: string, resultFile: string): Promise<void> {
  const request = JSON.parse(readFileSync(requestFile, 'utf8')) as HarnessRequest;
  // As Pulumi's language host does: an error thrown anywhere (an apply, a registration) fails the run.
  const failures: unknown[] = [];
  process.on('uncaughtException', (e) => failures.push(e));
  process.on('unhandledRejection', (e) => failures.push(e));

  const registered = installMocks(request.stack, request.project);
  pulumi.runtime.setAllConfig({ ...request.config }, [...request.secretKeys]);

  let exported: Record<string, unknown> = {};
  let outputs: Record<string, unknown> = {};
  try {
    outputs =
      (await pulumi.runtime.runInPulumiStack(async () => {
        // The bundle is CommonJS, and Pulumi's Node.js runtime requires it.
        exported = require(request.bundle);
        return exported;
      })) ?? {};
  } catch (e) {
    failures.push(e);
  }
  // Every registration the program started has ended (or failed).
  await pulumi.runtime.disconnect().catch((e: unknown) => failures.push(e));

  const secretOutputs: string[] = [];
  if (failures.length === 0) {
    for (const [key, value] of Object.entries(exported)) {
      if (pulumi.Output.isInstance(value) && (await pulumi.isSecret(value))) secretOutputs.push(key);
    }
  }
  const result: HarnessResult = {
    registered: registered.map(({ type, name, custom }) => ({ type, name, custom })),
    outputs,
    secretOutputs,
    ...(failures.length ? { error: failures.map((e) => (e instanceof Error ? e.message : String(e))).join('\n') } : {}),
  };
  writeFileSync(resultFile, JSON.stringify(result));
}

const [requestFile, resultFile] = process.argv.slice(2);
main(requestFile, resultFile).catch((e) => {
  console.error(e);
  process.exit(2);
});
