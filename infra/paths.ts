import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (holds package-lock.json); the CDK app and the bundler work from here. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Lambda entry points (written in functions/, each exporting `handler`). */
export const INGRESS_ENTRY = resolve(REPO_ROOT, 'functions/ingress/handler.ts');
export const WORKER_ENTRY = resolve(REPO_ROOT, 'functions/worker/handler.ts');
export const POLLER_ENTRY = resolve(REPO_ROOT, 'functions/poller/handler.ts');

/** Where the party config sits inside every function bundle; `RELAY_CONFIG` points here (cwd is /var/task). */
export const BUNDLED_CONFIG_FILE = 'relay.config.json';
