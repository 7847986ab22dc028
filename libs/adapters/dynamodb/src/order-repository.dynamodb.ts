import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConcurrentChangeError,
  type CreateOutcome,
  type OrderPage,
  type OrderRepository,
  type PageRequest,
} from '@serverless-orders/orders-application';
import { isFinal, isOrderId, ORDER_STATUSES, OrderNotFoundError, ValidationError, type Order } from '@serverless-orders/orders-domain';
import { ORDERS_TABLE, UNSETTLED_SHARDS, unsettledShard } from '@serverless-orders/order-table';

const PK = ORDERS_TABLE.partitionKey.name;
const SK = ORDERS_TABLE.sortKey.name;
const BY_CREATED = ORDERS_TABLE.localIndexes[0];
const UNSETTLED = ORDERS_TABLE.globalIndexes[0];
/** created_at as the domain writes it: Date.toISOString(). */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** An order as the table stores it: the domain's fields, plus the unsettled index's key while it is not final. */
export interface OrderItem {
  readonly user_id: string;
  readonly id: string;
  readonly restaurant_id: string;
  readonly item: string;
  readonly quantity: number;
  readonly order_status: string;
  readonly error_message?: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly version: number;
  readonly unsettled_shard?: string;
}

/** Order → item. The index attribute is the storage's business, never the domain's. */
export function toItem(order: Order): OrderItem {
  return {
    user_id: order.user_id,
    id: order.id,
    restaurant_id: order.restaurant_id,
    item: order.item,
    quantity: order.quantity,
    order_status: order.order_status,
    ...(order.error_message !== undefined ? { error_message: order.error_message } : {}),
    created_at: order.created_at,
    updated_at: order.updated_at,
    version: order.version,
    ...(isFinal(order.order_status) ? {} : { [UNSETTLED.partitionKey.name]: unsettledShard(order.id) }),
  };
}

/** Item → Order, checked: an item this adapter did not write fails loudly rather than leaking a half order. */
export function fromItem(item: Record<string, unknown>): Order {
  const status = item.order_status as Order['order_status'];
  const text = (name: string) => {
    const value = item[name];
    if (typeof value !== 'string') throw new Error(`stored order ${String(item.id)} has no ${name}`);
    return value;
  };
  if (!ORDER_STATUSES.includes(status)) throw new Error(`stored order ${String(item.id)} has an unknown status`);
  if (typeof item.quantity !== 'number') throw new Error(`stored order ${String(item.id)} has no quantity`);
  return {
    id: text('id'),
    user_id: text('user_id'),
    restaurant_id: text('restaurant_id'),
    item: text('item'),
    quantity: item.quantity,
    order_status: status,
    ...(typeof item.error_message === 'string' ? { error_message: item.error_message } : {}),
    created_at: text('created_at'),
    updated_at: text('updated_at'),
    // Orders stored before versions existed are version 1.
    version: typeof item.version === 'number' ? item.version : 1,
  };
}

/**
 * The page token carries only the position inside the caller's own partition (id and
 * created_at). The partition always comes from the caller, so a token cannot be turned
 * into a read of another user's orders.
 */
interface Position {
  readonly id: string;
  readonly created_at: string;
}

function encodeToken(key: Record<string, unknown>): string {
  const position: Position = { id: String(key[SK]), created_at: String(key[BY_CREATED.sortKey.name]) };
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

function decodeToken(token: string, owner: string): Record<string, string> {
  const invalid = () => ValidationError.of('next_token', 'is not a token this API issued');
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  // Only what this API issues: an order id and a timestamp. Anything else (an over-long key
  // DynamoDB would refuse with a 500, another type) is the client's mistake, a 400.
  const p = (typeof position === 'object' && position !== null ? position : {}) as Record<string, unknown>;
  const { id, created_at } = p;
  if (!isOrderId(id) || typeof created_at !== 'string' || !ISO_TIMESTAMP.test(created_at)) {
    throw invalid();
  }
  return { [PK]: owner, [SK]: id, [BY_CREATED.sortKey.name]: created_at };
}

/** Orders in DynamoDB: partition user_id, sort id; every access by a customer is scoped to the owner's partition. */
export class DynamoDbOrderRepository implements OrderRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(owner: string, id: string): Promise<Order | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: owner, [SK]: id }, ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async listByOwner(owner: string, page: PageRequest): Promise<OrderPage> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_CREATED.name,
        KeyConditionExpression: '#pk = :owner',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':owner': owner },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: page.nextToken ? decodeToken(page.nextToken, owner) : undefined,
      }),
    );
    return {
      items: (result.Items ?? []).map(fromItem),
      ...(result.LastEvaluatedKey ? { nextToken: encodeToken(result.LastEvaluatedKey) } : {}),
    };
  }

  async create(order: Order): Promise<CreateOutcome> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(order),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async replace(order: Order, expected: Pick<Order, 'version'>): Promise<void> {
    // An order stored before versions existed has no attribute, and reads as version 1.
    const sameVersion = expected.version === 1 ? '(attribute_not_exists(#v) OR #v = :v)' : '#v = :v';
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(order),
          ConditionExpression: `attribute_exists(#pk) AND ${sameVersion}`,
          ExpressionAttributeNames: { '#pk': PK, '#v': 'version' },
          ExpressionAttributeValues: { ':v': expected.version },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // Gone, or changed since it was read. (A second read rather than
        // ReturnValuesOnConditionCheckFailure, which not every DynamoDB-compatible store has.)
        if (!(await this.get(order.user_id, order.id))) throw new OrderNotFoundError(order.id);
        throw new ConcurrentChangeError(order.id);
      }
      throw error;
    }
  }

  async delete(owner: string, id: string): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: { [PK]: owner, [SK]: id }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  /** One Query per shard of the sparse unsettled index, oldest change first; the oldest `limit` overall. */
  async listUnsettled(updatedBefore: Date, limit: number): Promise<Order[]> {
    const pages = await Promise.all(
      UNSETTLED_SHARDS.map((shard) =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: UNSETTLED.name,
            KeyConditionExpression: '#shard = :shard AND #updated < :before',
            ExpressionAttributeNames: { '#shard': UNSETTLED.partitionKey.name, '#updated': UNSETTLED.sortKey.name },
            ExpressionAttributeValues: { ':shard': shard, ':before': updatedBefore.toISOString() },
            Limit: limit,
          }),
        ),
      ),
    );
    return pages
      .flatMap((page) => page.Items ?? [])
      .map(fromItem)
      .filter((order) => !isFinal(order.order_status))
      .sort((a, b) => a.updated_at.localeCompare(b.updated_at))
      .slice(0, limit);
  }
}

/**
 * The repository an app binds, on the DynamoDB client its composition root made (once per cold
 * start, traced; the endpoint from the SDK's own configuration, AWS_ENDPOINT_URL_DYNAMODB locally).
 */
export function dynamoDbOrderRepository(tableName: string, client: DynamoDBClient): DynamoDbOrderRepository {
  return new DynamoDbOrderRepository(documentClient(client), tableName);
}
