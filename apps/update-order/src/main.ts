import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UpdateMyOrder } from '@serverless-orders/orders-application';
import { createObservability, httpHandler, jsonBody, jsonResponse } from '@serverless-orders/platform-lambda';
import { LegacyUpdateOrderBody, OrderId, parseWith, UpdateOrderBody } from '@serverless-orders/http-contract';
import { createContainer } from './container';

// Once per cold start: logger, tracer, clients, config and the container.
const obs = createObservability('update-order');
const updateMyOrder = createContainer(obs).get(UpdateMyOrder);

/** PUT /orders/{id} — and the original's PUT /orders, with the id in the body. */
export const handler = httpHandler(obs, async (event: APIGatewayProxyEvent, caller) => {
  const pathId = event.pathParameters?.id;
  const body = jsonBody(event);
  const { id, ...changes } =
    pathId !== undefined
      ? { id: parseWith(OrderId, pathId, 'path.id'), ...parseWith(UpdateOrderBody, body) }
      : parseWith(LegacyUpdateOrderBody, body);
  return jsonResponse(200, await updateMyOrder.execute(caller, id, changes));
});
