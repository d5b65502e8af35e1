/**
 * The auth-server HTTP contract (DESIGN §3). It lives in `@emotion-app/protocol`; this module
 * keeps `@emotion-app/auth-client/contract` working for its importers.
 */
export * from '@emotion-app/protocol/auth';
export { DEVICE_TOKEN_HEADER, type ErrorCode, ErrorCodes } from '@emotion-app/protocol';
