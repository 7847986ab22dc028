import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  ConcurrentChangeError,
  type CreateOutcome,
  type OrderPage,
  type OrderRepository,
  type PageRequest,
} from '@serverless-orders/orders-application';
import { isOrderId, OrderNotFoundError, ValidationError, type Order } from '@serverless-orders/orders-domain';
import { ORDERS_TABLE } from '@serverless-orders/order-table';

const PK = ORDERS_TABLE.partitionKey.name;
const SK = ORDERS_TABLE.sortKey.name;
const BY_CREATED = ORDERS_TABLE.localIndexes[0];
/** created_at as the domain writes it: Date.toISOString(). */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
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
  if (typeof id !== 'string' || !isOrderId(id) || typeof created_at !== 'string' || !ISO_TIMESTAMP.test(created_at)) {
    throw invalid();
  }
  return { [PK]: owner, [SK]: id, [BY_CREATED.sortKey.name]: created_at };
}

/** Orders in DynamoDB: partition user_id, sort id; every access is scoped to the owner's partition. */
export class DynamoDbOrderRepository implements OrderRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(owner: string, id: string): Promise<Order | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: owner, [SK]: id }, ConsistentRead: true }));
    return Item as Order | undefined;
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
      items: (result.Items ?? []) as Order[],
      ...(result.LastEvaluatedKey ? { nextToken: encodeToken(result.LastEvaluatedKey) } : {}),
    };
  }

  async create(order: Order): Promise<CreateOutcome> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: order,
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

  async replace(order: Order, expected: Pick<Order, 'updated_at' | 'order_status'>): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: order,
          ConditionExpression: 'attribute_exists(#pk) AND #updated = :updated AND #status = :status',
          ExpressionAttributeNames: { '#pk': PK, '#updated': 'updated_at', '#status': 'order_status' },
          ExpressionAttributeValues: { ':updated': expected.updated_at, ':status': expected.order_status },
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
}

/**
 * The repository an app binds: one DynamoDB client per cold start, passed through
 * `instrument` (the tracer's captureAWSv3Client in Lambda). The endpoint comes from the
 * SDK's own configuration (AWS_ENDPOINT_URL_DYNAMODB locally).
 */
export function dynamoDbOrderRepository(
  tableName: string,
  instrument: (client: DynamoDBClient) => DynamoDBClient = (client) => client,
): DynamoDbOrderRepository {
  return new DynamoDbOrderRepository(documentClient(instrument(new DynamoDBClient({}))), tableName);
}
