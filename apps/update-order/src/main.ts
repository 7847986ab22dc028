import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createObservability, httpHandler, jsonBody, jsonResponse, resolve } from '@serverless-orders/platform-lambda';
import { domainErrorAnswer, LegacyUpdateOrderBody, OrderId, orderRepresentation, parseWith, UpdateOrderBody } from '@serverless-orders/http-contract';
import { createContainer, TOKENS } from './container';

const obs = createObservability('update-order');
const updateMyOrder = resolve(createContainer(obs), TOKENS.UpdateMyOrder);

/** PUT /orders/{id} — and the compatibility form PUT /orders, with the id in the body. */
export const handler = httpHandler(obs, async (event: APIGatewayProxyEvent, caller) => {
  const pathId = event.pathParameters?.id;
  const body = jsonBody(event);
  const { id, ...changes } =
    pathId !== undefined
      ? { id: parseWith(OrderId, pathId, 'path.id'), ...parseWith(UpdateOrderBody, body) }
      : parseWith(LegacyUpdateOrderBody, body);
  return jsonResponse(200, orderRepresentation(await updateMyOrder.execute(caller, id, changes)));
}, domainErrorAnswer);
