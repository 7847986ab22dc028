import type { Clock } from './clock.port';
import type { OrderNotifier } from './order-notifier.port';
import type { OrderRepository } from './order-repository.port';
import type { OrderWorkflow } from './order-workflow.port';
import type { PaymentGateway } from './payment-gateway.port';
import type { RestaurantGateway } from './restaurant-gateway.port';

/** A DI token that carries the type it resolves to. */
export type Token<T> = symbol & { readonly __type?: T };

const token = <T>(name: string): Token<T> => Symbol.for(`serverless-orders.orders.${name}`) as Token<T>;

export const ORDERS_TOKENS = {
  OrderRepository: token<OrderRepository>('OrderRepository'),
  Clock: token<Clock>('Clock'),
  OrderWorkflow: token<OrderWorkflow>('OrderWorkflow'),
  PaymentGateway: token<PaymentGateway>('PaymentGateway'),
  RestaurantGateway: token<RestaurantGateway>('RestaurantGateway'),
  OrderNotifier: token<OrderNotifier>('OrderNotifier'),
} as const;
