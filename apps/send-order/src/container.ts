import { Container } from 'inversify';
import { ORDERS_TOKENS, SendOrderToRestaurant, type RestaurantGateway } from '@serverless-orders/orders-application';
import { DEFAULT_FAILURE_RATE, SimulatedRestaurantGateway, seededRandom } from '@serverless-orders/adapters-simulated-providers';
import { ConfigError, configFrom, type Observability } from '@serverless-orders/platform-lambda';

/** The providers this function can talk to; a real one is one more adapter and one more choice here. */
export const RESTAURANT_PROVIDERS = ['simulated'] as const;

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(_obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const provider = config.oneOf('RESTAURANT_PROVIDER', RESTAURANT_PROVIDERS, 'simulated');
  const container = new Container({ defaultScope: 'Singleton' });
  switch (provider) {
    case 'simulated': {
      const failureRate = config.number('RESTAURANT_FAILURE_RATE', DEFAULT_FAILURE_RATE, { min: 0, max: 1 });
      const seed = config.optional('RESTAURANT_RANDOM_SEED');
      if (seed !== undefined && !/^\d+$/.test(seed)) throw new ConfigError(`setting RESTAURANT_RANDOM_SEED is "${seed}"; expected a whole number`);
      const random = seed === undefined ? Math.random : seededRandom(Number(seed));
      container.bind<RestaurantGateway>(ORDERS_TOKENS.RestaurantGateway).toConstantValue(new SimulatedRestaurantGateway({ failureRate, random }));
      break;
    }
  }
  container.bind(SendOrderToRestaurant).toSelf();
  return container;
}
