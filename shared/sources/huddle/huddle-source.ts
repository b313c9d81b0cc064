import type { HuddleSourceOptions } from '../../config/source-options';
import { envelopeSource } from '../event-mapping';
import type { WebhookSource } from '../source';
import { HUDDLE_EVENTS, type HuddleDeps } from './mappings';

/** The Huddle source: recipients are e-mail addresses in the event, so nothing needs resolving. */
export function createHuddleSource(options: HuddleSourceOptions): WebhookSource {
  const deps: HuddleDeps = { appBaseUrl: options.appBaseUrl };
  return envelopeSource('huddle', HUDDLE_EVENTS, () => deps);
}
