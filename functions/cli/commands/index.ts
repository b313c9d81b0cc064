import type { CliCommand } from '../router';
import { dlqList } from './dlq-list';
import { dlqRedrive } from './dlq-redrive';
import { dlqShow } from './dlq-show';

/** Every `relay` command; add a new one here (one file per command). */
export const COMMANDS: readonly CliCommand[] = [dlqList, dlqShow, dlqRedrive];
