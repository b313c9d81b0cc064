import type { DeliveryOutcome } from '../workspace365/delivery-outcome';

export type UndeliveredOutcome = Exclude<DeliveryOutcome, { type: 'delivered' }>;

/**
 * Thrown inside the delivery's idempotent section for every outcome but `delivered`, so no "done"
 * record is kept and the next receive posts again. Carries the outcome (status, no headers, no key).
 */
export class UndeliveredError extends Error {
  override readonly name = 'UndeliveredError';
  constructor(readonly outcome: UndeliveredOutcome) {
    super(
      `Workspace 365 did not take the delivery (${outcome.type}${'status' in outcome && outcome.status ? ` ${outcome.status}` : ''})`,
    );
  }
}
