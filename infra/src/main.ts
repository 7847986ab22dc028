/**
 * The Pulumi program. Pulumi runs its bundle (dist/infra/main.js, built by `nx run infra:build`),
 * from the Pulumi project directory (infra/). Every export is a stack output.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { FUNCTIONS } from '@serverless-orders/function-catalogue';
import { ServerlessOrders } from './serverless-orders';
import { readStackSettings, SettingsError } from './stack-settings';

const settings = readStackSettings();

// Each function ships its Nx bundle; deploying without one would upload an empty archive.
for (const { app } of FUNCTIONS) {
  const bundle = path.resolve(settings.artifactsDir, app, 'main.js');
  if (!existsSync(bundle)) {
    throw new SettingsError(`no bundle for ${app} at ${bundle}: run \`npx nx run infra:deploy\` (it builds every app first)`);
  }
}

const system = new ServerlessOrders(settings.prefix, settings);

export const apiUrl = system.outputs.apiUrl;
export const userPoolId = system.outputs.userPoolId;
export const userPoolClientId = system.outputs.userPoolClientId;
export const userPoolClientSecret = system.outputs.userPoolClientSecret;
export const region = system.outputs.region;
export const tableName = system.outputs.tableName;
export const orderQueueUrl = system.outputs.orderQueueUrl;
export const deadLetterQueueUrl = system.outputs.deadLetterQueueUrl;
export const deadLetterQueueArn = system.outputs.deadLetterQueueArn;
export const topicArn = system.outputs.topicArn;
export const operationsTopicArn = system.outputs.operationsTopicArn;
export const stateMachineArn = system.outputs.stateMachineArn;
export const authorizer = system.outputs.authorizer;
