/** The dummy credentials every local client uses; no local server checks them. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
