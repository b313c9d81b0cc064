import { App } from 'aws-cdk-lib';
import { addNagChecks, addRelayStacks } from './relay-app';
import { describeSettings, RelaySettingsError, readRelayAppSettings } from './settings';

// `npx cdk synth|deploy -c stage=prod [-c configFile=relay.config.json] [-c alarmEmail=ops@example.com]
//  [-c maxConcurrency=5] [-c allowDemoConfig=true]` (README "Deploy", docs/deploy.md)
const app = new App();
let settings: ReturnType<typeof readRelayAppSettings>;
try {
  settings = readRelayAppSettings(app.node);
} catch (error) {
  if (!(error instanceof RelaySettingsError)) throw error;
  // The message says what to do; a stack trace would only bury it.
  console.error(error.message);
  process.exit(1);
}
// stderr: `cdk synth` prints the template on stdout, and the operator should see what is being deployed.
for (const line of describeSettings(settings)) console.error(line);
addRelayStacks(app, settings);
addNagChecks(app);
