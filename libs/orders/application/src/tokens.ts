import type { Clock } from './clock.port';
import type { OrderRepository } from './order-repository.port';

/** A DI token that carries the type it resolves to. */
export type Token<T> = symbol & { readonly __type?: T };

const token = <T>(name: string): Token<T> => Symbol.for(`serverless-orders.orders.${name}`) as Token<T>;

export const ORDERS_TOKENS = {
  OrderRepository: token<OrderRepository>('OrderRepository'),
  Clock: token<Clock>('Clock'),
} as const;
