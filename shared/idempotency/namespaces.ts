/**
 * Ingress dedup and worker delivery records share one table (docs/architecture.md §8); each use keys its
 * records under its own namespace so an event id can never collide with a message id.
 */
/** Ingress: one record per (party, event id), for the dedup window. */
export const INGRESS_DEDUP_NAMESPACE = 'ingress';
/** Worker: one record per queue message id, while and after it is delivered. */
export const DELIVERY_IDEMPOTENCY_NAMESPACE = 'delivery';
