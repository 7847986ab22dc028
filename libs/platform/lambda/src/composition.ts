/**
 * Typed tokens for the composition roots (each app's container.ts): a Token<T> carries the type
 * it resolves to, and `provide`/`resolve` keep a binding and its use to that type. They take the
 * container by its shape, so nothing outside the composition roots imports the DI library.
 */
export type Token<T> = symbol & { readonly __type?: T };

export const token = <T>(name: string): Token<T> => Symbol.for(`serverless-orders.${name}`) as Token<T>;

/** The part of an inversify Container the roots use. */
export interface BindingContainer {
  bind<T>(id: symbol): {
    toConstantValue(value: T): unknown;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- inversify's own signature
    toResolvedValue(factory: (...args: any[]) => T, dependencies: symbol[]): unknown;
  };
  get<T>(id: symbol): T;
}

/** Binds `token` to `value`, which must be a T. */
export function provide<T>(container: BindingContainer, t: Token<T>, value: T): void {
  container.bind<T>(t).toConstantValue(value);
}

/** Binds `token` to what `factory` makes of the values bound to `dependencies` (an inversify factory binding, typed). */
export function provideFrom<T, D extends unknown[]>(
  container: BindingContainer,
  t: Token<T>,
  dependencies: { readonly [K in keyof D]: Token<D[K]> },
  factory: (...values: D) => T,
): void {
  container.bind<T>(t).toResolvedValue((...values: unknown[]) => factory(...(values as D)), [...(dependencies as readonly symbol[])]);
}

/** What `token` is bound to, as a T. */
export function resolve<T>(container: BindingContainer, t: Token<T>): T {
  return container.get<T>(t);
}
