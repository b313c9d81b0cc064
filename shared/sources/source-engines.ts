import type jsonata from 'jsonata';
import type { PartyConfig } from '../config/relay-config';

/** JSONata's compile function (the `jsonata` package's default export). */
export type Jsonata = typeof jsonata;

/**
 * Libraries a source needs that a party set may not use, so a host loads them only when it does:
 * JSONata (≈ 80 KB of bundle and a few ms of cold start) for template parties (docs/cost.md, "Start fast").
 */
export type SourceEngines = { jsonata?: Jsonata };

/**
 * Loads what `parties` need, once, before their sources are built (at start-up: a template that does not
 * compile still fails there). Esbuild keeps the import lazy in the single-file bundle: JSONata's module
 * code is in it, but runs only when this loads it.
 */
export async function loadSourceEngines(
  parties: readonly Pick<PartyConfig, 'source'>[],
): Promise<SourceEngines> {
  if (!parties.some((party) => party.source === 'template')) return {};
  const { default: jsonata } = await import('jsonata');
  return { jsonata };
}
