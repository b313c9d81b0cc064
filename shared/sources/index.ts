import type { PartyConfig } from '../config/relay-config';
import { createHuddleSource } from './huddle/huddle-source';
import { HuddleSourceOptions, TemplateSourceOptions, WorkDriveSourceOptions } from './options';
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
 * The options are parsed again with their schema so defaults are applied even to a hand-built party.
 */
export function createSource(party: PartyConfig): WebhookSource {
  switch (party.source) {
    case 'workspace365':
      return createWorkspace365Source();
    case 'workdrive':
      // A polled party's API also resolves its users unless the options name another server.
      return createWorkDriveSource(
        WorkDriveSourceOptions.parse(
          party.poll ? { apiBaseUrl: party.poll.baseUrl, ...party.options } : party.options,
        ),
      );
    case 'huddle':
      return createHuddleSource(HuddleSourceOptions.parse(party.options));
    case 'template':
      return createTemplateSource(compileTemplate(TemplateSourceOptions.parse(party.options)), party.auth);
  }
}
