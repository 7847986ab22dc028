import type { APIGatewayProxyEvent } from 'aws-lambda';
import { OrderNotFoundError } from '@serverless-orders/orders-domain';
import { createObservability, httpHandler, jsonResponse, resolve } from '@serverless-orders/platform-lambda';
import { domainErrorAnswer, OrderId, parseWith, UserIdParameter } from '@serverless-orders/http-contract';
import { createContainer, TOKENS } from './container';

const obs = createObservability('delete-order');
const deleteMyOrder = resolve(createContainer(obs), TOKENS.DeleteMyOrder);

/** DELETE /orders/{id} — and the compatibility form DELETE /order/{userId}/id/{id}, where {userId} must be the caller. */
export const handler = httpHandler(obs, async (event: APIGatewayProxyEvent, caller) => {
  const id = parseWith(OrderId, event.pathParameters?.id, 'path.id');
  const raw = event.pathParameters?.userId;
  const userId = raw === undefined ? undefined : parseWith(UserIdParameter, raw, 'path.userId');
  // Someone else's order is indistinguishable from a missing one.
  if (userId !== undefined && userId !== caller) throw new OrderNotFoundError(id);
  await deleteMyOrder.execute(caller, id);
  return jsonResponse(204);
}, domainErrorAnswer);
