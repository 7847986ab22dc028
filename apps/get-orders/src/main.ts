import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createObservability, httpHandler, jsonResponse, resolve } from '@serverless-orders/platform-lambda';
import { domainErrorAnswer, ListOrdersQuery, OrderId, orderRepresentation, parseWith } from '@serverless-orders/http-contract';
import { createContainer, TOKENS } from './container';

const obs = createObservability('get-orders');
const container = createContainer(obs);
const listMyOrders = resolve(container, TOKENS.ListMyOrders);
const getMyOrder = resolve(container, TOKENS.GetMyOrder);

/** GET /orders (my orders, newest first, paginated) and GET /orders/{id}. */
export const handler = httpHandler(obs, async (event: APIGatewayProxyEvent, caller) => {
  const id = event.pathParameters?.id;
  if (id !== undefined) {
    return jsonResponse(200, orderRepresentation(await getMyOrder.execute(caller, parseWith(OrderId, id, 'path.id'))));
  }
  // Query parameters are named as the client wrote them: limit, next_token.
  const query = parseWith(ListOrdersQuery, event.queryStringParameters ?? {});
  const page = await listMyOrders.execute(caller, { limit: query.limit, nextToken: query.next_token });
  return jsonResponse(200, { items: page.items.map(orderRepresentation), ...(page.nextToken ? { next_token: page.nextToken } : {}) });
}, domainErrorAnswer);
