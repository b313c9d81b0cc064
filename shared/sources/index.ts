import type { PartyConfig } from '../config/relay-config';
import { createHuddleSource } from './huddle/huddle-source';
import type { WebhookSource } from './source';
import { compileTemplate } from './template/compile-template';
import { createTemplateSource } from './template/template-source';
import { createWorkDriveSource } from './workdrive/workdrive-source';
import { createWorkspace365Source } from './workspace365-source';

export type { MappedPayload, SourceContext, SourceResult, WebhookSource } from './source';
export { compileTemplate, TemplateCompileError } from './template/compile-template';

/**
 * The source for a party, built once at start-up and reused for every request (JSONata is compiled
 * here, so a broken template fails the start-up with TemplateCompileError naming the option).
 * The party comes from the config schema, so its options are already typed, with their defaults.
 */
export function createSource(party: PartyConfig): WebhookSource {
  switch (party.source) {
    case 'workspace365':
      return createWorkspace365Source();
    case 'workdrive':
      return createWorkDriveSource(party.options);
    case 'huddle':
      return createHuddleSource(party.options);
    case 'template':
      return createTemplateSource(compileTemplate(party.options), party.auth);
  }
}
