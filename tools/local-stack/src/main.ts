import { buildApp } from 'fauxqs';
import dynalite from 'dynalite';
import { StateMachine } from 'aws-local-stepfunctions';
import { ROUTES } from '@serverless-orders/system';
import { SQSClient } from '@aws-sdk/client-sqs';
console.log(typeof buildApp, typeof dynalite, typeof StateMachine, ROUTES.length, typeof SQSClient);
