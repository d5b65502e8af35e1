/**
 * `@emotion-app/protocol/emotion`: emotion-api's HTTP contract (DESIGN §4) as TypeBox schemas
 * with their static types. emotion-api validates and serializes with them; the web app types its
 * calls with them. Browser-safe.
 */
export * from './detections.js';
export * from './health.js';
export * from './history.js';
export * from './models.js';
export * from './session.js';
