export * from './keys';
export * from './mint';
export * from './jwks-server';
export * from './attack-catalogue';
export * from './authorizer-event';
