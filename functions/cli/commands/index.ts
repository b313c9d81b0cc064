import type { CliCommand } from '../router';
import { configExplainRetries } from './config-explain-retries';
import { dlqList } from './dlq-list';
import { dlqRedrive } from './dlq-redrive';
import { dlqShow } from './dlq-show';
import { partyAdd } from './party-add';
import { partyCheck } from './party-check';
import { poll } from './poll';
import { sandboxFail } from './sandbox-fail';
import { sandboxReset } from './sandbox-reset';
import { sendSample } from './send-sample';
import { trace } from './trace';

/** Every `relay` command; add a new one here (one file per command). */
export const COMMANDS: readonly CliCommand[] = [
  sendSample,
  partyAdd,
  partyCheck,
  dlqList,
  dlqShow,
  dlqRedrive,
  trace,
  sandboxFail,
  sandboxReset,
  poll,
  configExplainRetries,
];
