import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod for the relay: `zod/mini`, the functional API on the same core as classic `zod` (a fraction of
 * its size in a bundle, because unused schema kinds and checks tree-shake away). Import zod from here,
 * never from `zod` or `zod/mini` directly: classic zod sets up English messages on first use, mini
 * leaves every message a schema does not set itself as "Invalid input", so this module sets them up
 * the same way before any schema can parse.
 */
z.config(en());

export * from 'zod/mini';
