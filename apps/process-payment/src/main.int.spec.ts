import { PAYMENT_ERROR_MESSAGE } from '@serverless-orders/adapters-simulated-providers';
import { describeProviderTaskBundle } from '@serverless-orders/testing';

// The built bundle (dist/apps/process-payment/main.js) invoked as Step Functions invokes it.
describeProviderTaskBundle({ app: 'process-payment', prefix: 'PAYMENT', step: 'ProcessPayment', refusal: PAYMENT_ERROR_MESSAGE });
