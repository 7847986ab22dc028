import { RESTAURANT_ERROR_MESSAGE } from '@serverless-orders/adapters-simulated-providers';
import { describeProviderTaskBundle } from '@serverless-orders/testing';

// The built bundle (dist/apps/send-order/main.js) invoked as Step Functions invokes it.
describeProviderTaskBundle({ app: 'send-order', prefix: 'RESTAURANT', step: 'SendOrderToRestaurant', refusal: RESTAURANT_ERROR_MESSAGE });
