import type { CliCommand } from '../router';
import { configExplainRetries } from './config-explain-retries';
import { dlqList } from './dlq-list';
import { dlqRedrive } from './dlq-redrive';
import { dlqShow } from './dlq-show';
import { sendSample } from './send-sample';

/** Every `relay` command; add a new one here (one file per command). */
export const COMMANDS: readonly CliCommand[] = [
  sendSample,
  dlqList,
  dlqShow,
  dlqRedrive,
  configExplainRetries,
];
