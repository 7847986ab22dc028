/**
 * What the bundle benchmarks share: the environment a function finds in Lambda, the naive
 * bundle they compare against, and small statistics.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { FunctionDefinition } from '@serverless-orders/function-catalogue';

export const root = process.cwd();

export function bundleOf(app: string): string {
  return path.join(root, 'dist/apps', app, 'main.js');
}

/**
 * The environment Lambda gives a function at a cold start (nodejs22.x, active tracing, the
 * role's credentials as variables), with placeholders for its required settings: a cold
 * start reads them, it calls nothing. Powertools sees AWS_EXECUTION_ENV, so the tracer is on
 * and patches http/https as it does in Lambda.
 */
export function lambdaEnv(fn: FunctionDefinition, bundle: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `bench-${fn.app}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: path.dirname(bundle),
    _HANDLER: 'main.handler',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    TZ: 'UTC',
  };
  for (const setting of fn.settings.filter((s) => s.required)) env[setting.name] = placeholder(setting);
  if (fn.app === 'authorizer') {
    Object.assign(env, { AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: 'us-east-1_bench0001', COGNITO_CLIENT_ID: 'benchclient' });
  }
  return env;
}

function placeholder(setting: FunctionDefinition['settings'][number]): string {
  switch (setting.from) {
    case 'state-machine-arn':
      return 'arn:aws:states:us-east-1:123456789012:stateMachine:bench';
    case 'topic-arn':
      return 'arn:aws:sns:us-east-1:123456789012:bench';
    default:
      return 'bench';
  }
}

/**
 * The naive function a team would write first: one file importing Powertools Logger and
 * Tracer and the DynamoDB document client, built with esbuild's defaults for Lambda
 * (minify, platform node, target node22, cjs), from this workspace's node_modules.
 */
const NAIVE_HANDLER = `
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

const logger = new Logger({ serviceName: 'naive' });
const tracer = new Tracer({ serviceName: 'naive' });
const db = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));

export const handler = async (event) => {
  const owner = event.requestContext?.authorizer?.claims?.sub;
  logger.info('listing orders', { owner });
  const { Items } = await db.send(new QueryCommand({
    TableName: process.env.ORDERS_TABLE_NAME,
    KeyConditionExpression: 'user_id = :owner',
    ExpressionAttributeValues: { ':owner': owner },
  }));
  return { statusCode: 200, body: JSON.stringify(Items ?? []) };
};
`;

/** Writes the naive handler under dist/ (so it resolves this workspace's packages) and builds it; returns the bundle. */
export async function buildNaiveBundle(): Promise<string> {
  const dir = path.join(root, 'dist/tools/benchmarks/naive');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'handler.mjs'), NAIVE_HANDLER);
  const outfile = path.join(dir, 'main.js');
  await build({
    entryPoints: [path.join(dir, 'handler.mjs')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

export const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
