import { App } from 'aws-cdk-lib';
import { addNagChecks, addRelayStacks } from './relay-app';
import { readRelayAppSettings } from './settings';

// `npx cdk synth|deploy [-c stage=prod] [-c configFile=relay.config.json] [-c alarmEmail=ops@example.com] [-c maxConcurrency=5]`
const app = new App();
addRelayStacks(app, readRelayAppSettings(app.node));
addNagChecks(app);
