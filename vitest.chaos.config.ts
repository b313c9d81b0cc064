import { defineConfig } from 'vitest/config';

/**
 * `npm run test:chaos`: the reliability suite. Its files are named `*.chaos.ts` so the main config
 * (`test/**\/*.test.ts`) never runs them; one run takes minutes, not seconds.
 */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    environment: 'node',
    testTimeout: 15 * 60_000,
    hookTimeout: 2 * 60_000,
    // One suite, one relay: nothing else competes for the two cores while it runs.
    fileParallelism: false,
    maxWorkers: 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // 10 000 webhooks make tens of thousands of log lines; keep the errors only.
    env: { POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
