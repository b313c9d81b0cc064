import type { PartyConfig } from '../config/relay-config';
import { createHuddleSource } from './huddle/huddle-source';
import type { WebhookSource } from './source';
import type { SourceEngines } from './source-engines';
import { compileTemplate, TemplateCompileError } from './template/compile-template';
import { createTemplateSource } from './template/template-source';
import { createWorkDriveSource } from './workdrive/workdrive-source';
import { createWorkspace365Source } from './workspace365-source';

export type { MappedPayload, SourceContext, SourceResult, WebhookSource } from './source';
export { type Jsonata, loadSourceEngines, type SourceEngines } from './source-engines';
export { compileTemplate, TemplateCompileError } from './template/compile-template';

/**
 * The source for a party, built once at start-up and reused for every request (JSONata is compiled
 * here, so a broken template fails the start-up with TemplateCompileError naming the option).
 * The party comes from the config schema, so its options are already typed, with their defaults.
 * `engines`: what `loadSourceEngines` loaded for the party set (JSONata for a template party).
 */
export function createSource(party: PartyConfig, engines: SourceEngines = {}): WebhookSource {
  switch (party.source) {
    case 'workspace365':
      return createWorkspace365Source();
    case 'workdrive':
      // A polled party's API also resolves its users unless the options name another server.
      return createWorkDriveSource(
        party.poll ? { apiBaseUrl: party.poll.baseUrl, ...party.options } : party.options,
      );
    case 'huddle':
      return createHuddleSource(party.options);
    case 'template':
      if (!engines.jsonata) {
        throw new Error(
          `party ${party.id} is a template party: load JSONata first (loadSourceEngines) and pass it to its source`,
        );
      }
      return createTemplateSource(compileTemplate(engines.jsonata, party.options), party.auth);
  }
}

/** Template parties whose JSONata does not compile: every broken option of every party, by id. */
export class TemplatesInvalidError extends Error {
  override readonly name = 'TemplatesInvalidError';
  constructor(readonly problems: readonly string[]) {
    super(`the relay config has invalid JSONata:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Every party's source, built as `createSource` does; all template problems are reported at once. */
export function createSources(
  parties: readonly PartyConfig[],
  engines: SourceEngines = {},
): Map<string, WebhookSource> {
  const sources = new Map<string, WebhookSource>();
  const problems: string[] = [];
  for (const party of parties) {
    try {
      sources.set(party.id, createSource(party, engines));
    } catch (error) {
      if (!(error instanceof TemplateCompileError)) throw error;
      problems.push(...error.problems.map((problem) => `parties[${party.id}].${problem}`));
    }
  }
  if (problems.length > 0) throw new TemplatesInvalidError(problems);
  return sources;
}
