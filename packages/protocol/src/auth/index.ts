/** `@emotion-app/protocol/auth`: the auth-server contract (schemas) and its endpoint table only. */
export * from './contract.js';
export * from './endpoints.js';
export * from './key-revocation-contract.js';
