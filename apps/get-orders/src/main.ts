import type { APIGatewayProxyEvent } from 'aws-lambda';
import { GetMyOrder, ListMyOrders } from '@serverless-orders/orders-application';
import { createObservability, httpHandler, jsonResponse } from '@serverless-orders/platform-lambda';
import { ListOrdersQuery, OrderId, parseWith } from '@serverless-orders/http-contract';
import { createContainer } from './container';

// Once per cold start: logger, tracer, clients, config and the container.
const obs = createObservability('get-orders');
const container = createContainer(obs);
const listMyOrders = container.get(ListMyOrders);
const getMyOrder = container.get(GetMyOrder);

/** GET /orders (my orders, newest first, paginated) and GET /orders/{id}. */
export const handler = httpHandler(obs, async (event: APIGatewayProxyEvent, caller) => {
  const id = event.pathParameters?.id;
  if (id !== undefined) {
    return jsonResponse(200, await getMyOrder.execute(caller, parseWith(OrderId, id, 'path.id')));
  }
  // Query parameters are named as the client wrote them: limit, next_token.
  const query = parseWith(ListOrdersQuery, event.queryStringParameters ?? {});
  const page = await listMyOrders.execute(caller, { limit: query.limit, nextToken: query.next_token });
  return jsonResponse(200, { items: page.items, ...(page.nextToken ? { next_token: page.nextToken } : {}) });
});
