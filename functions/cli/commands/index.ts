import type { CliCommand } from '../router';
import { dlqList } from './dlq-list';
import { dlqRedrive } from './dlq-redrive';
import { dlqShow } from './dlq-show';
import { sandboxFail } from './sandbox-fail';
import { sandboxReset } from './sandbox-reset';
import { sendSample } from './send-sample';
import { trace } from './trace';

/** Every `relay` command; add a new one here (one file per command). */
export const COMMANDS: readonly CliCommand[] = [
  sendSample,
  trace,
  dlqList,
  dlqShow,
  dlqRedrive,
  sandboxFail,
  sandboxReset,
];
