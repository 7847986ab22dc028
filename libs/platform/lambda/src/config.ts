// Configuration reading is its own library (the auth adapters use it without Lambda platform
// code); the functions' composition roots keep importing it from here, with the rest.
export * from '@serverless-orders/config';
