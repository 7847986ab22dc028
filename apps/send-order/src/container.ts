import { Container } from 'inversify';
import { ORDERS_TOKENS, SendOrderToRestaurant, type RestaurantGateway } from '@serverless-orders/orders-application';
import { SimulatedRestaurantGateway, simulationFromConfig } from '@serverless-orders/adapters-simulated-providers';
import { configFrom, type Observability } from '@serverless-orders/platform-lambda';

/** The providers this function can talk to; a real one is one more adapter and one more choice here. */
export const RESTAURANT_PROVIDERS = ['simulated'] as const;

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(_obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const provider = config.oneOf('RESTAURANT_PROVIDER', RESTAURANT_PROVIDERS, 'simulated');
  const container = new Container({ defaultScope: 'Singleton' });
  switch (provider) {
    case 'simulated': {
      container.bind<RestaurantGateway>(ORDERS_TOKENS.RestaurantGateway).toConstantValue(new SimulatedRestaurantGateway(simulationFromConfig(config, 'RESTAURANT')));
      break;
    }
  }
  container.bind(SendOrderToRestaurant).toSelf();
  return container;
}
