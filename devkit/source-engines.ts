import jsonata from 'jsonata';
import type { SourceEngines } from '../shared/sources';

/**
 * Every source engine, loaded statically: for tools and tests that build sources synchronously and are
 * never a Lambda bundle (the functions load JSONata only for a template party, shared/sources/source-engines.ts).
 */
export const ALL_SOURCE_ENGINES: SourceEngines = { jsonata };
