import { isAbsolute, relative, resolve } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/observability/metric-names';
import { BUNDLED_CONFIG_FILE, REPO_ROOT } from '../paths';

/** The newest Node.js runtime aws-cdk-lib 2.276 offers. */
export const RELAY_RUNTIME = Runtime.NODEJS_24_X;

/**
 * ESM bundles still contain CommonJS dependencies that call `require`; esbuild's shim needs a real one.
 */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire as __relayCreateRequire } from 'node:module'; const require = __relayCreateRequire(import.meta.url);";

/** Whether a relay function keeps Lambda's START / END / REPORT lines unless told otherwise (the bench bills them then). */
export const PLATFORM_LOG_LINES_BY_DEFAULT = false;

export interface RelayFunctionProps {
  /** The TypeScript entry point exporting `handler`. */
  readonly entry: string;
  /** Powertools service name (`POWERTOOLS_SERVICE_NAME`): the `service` dimension of every metric and log line. */
  readonly serviceName: string;
  /** The party config file; it is copied into the bundle as `relay.config.json` and read at cold start. */
  readonly configFile: string;
  /**
   * Extra environment variables (the queue URLs, table name, ...).
   * @default - only the common ones (RELAY_CONFIG, POWERTOOLS_*, SECRETS_CACHE_TTL_SECONDS, NODE_OPTIONS)
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Memory (and so CPU share) in MB.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Function timeout.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * How long the function's logs (and the EMF metrics they carry) are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * How long a fetched party secret is reused before Secrets Manager is asked again.
   * @default Duration.minutes(5)
   */
  readonly secretsCacheTtl?: Duration;
  /**
   * Powertools log level.
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Keep Lambda's START / END / REPORT lines (about 250 bytes per invocation, billed as log ingestion).
   * Off, the function logs in Lambda's JSON format with system level WARN: the platform's own errors
   * and timeouts still reach the log group, and Duration, Errors and Throttles remain as metrics.
   * @default false
   */
  readonly platformLogLines?: boolean;
  /**
   * Bundle AWS SDK v3 (`@aws-sdk/*` and the `@smithy/*` packages it pulls in) into the function instead
   * of importing the copy the Lambda Node.js runtime ships. Left out, each bundle is about 370 KB
   * smaller and the cold start on nodejs24.x is the same within noise (the runtime's copy loads about
   * as fast as the bundled one); but the SDK version is then the runtime's, not the one in
   * package-lock.json that the tests ran against, and it changes when AWS updates the runtime. Set it
   * to `true` to pin the SDK.
   * @default false - the SDK comes from the runtime (the CDK default for Node.js 18+, and what
   * Powertools recommends)
   */
  readonly bundleAwsSdk?: boolean;
  /**
   * Where bundling runs and where package-lock.json is.
   * @default the repository root
   */
  readonly projectRoot?: string;
  /**
   * Function description.
   * @default - the service name
   */
  readonly description?: string;
}

/**
 * A relay Lambda function with secure, fast defaults: arm64, the newest Node.js runtime, an esbuild
 * bundle (ESM, minified, tree-shaken, source maps), the party config inside the bundle, a log group with
 * retention, and its own role that may write to that log group only (instead of the managed
 * AWSLambdaBasicExecutionRole, whose log permissions apply to every log group in the account).
 */
export class RelayFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: RelayFunctionProps) {
    super(scope, id);
    const projectRoot = props.projectRoot ?? REPO_ROOT;
    const configInProject = relative(projectRoot, resolve(props.configFile));
    const configIsInProject = !configInProject.startsWith('..') && !isAbsolute(configInProject);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: resolve(projectRoot, 'package-lock.json'),
      description: props.description ?? props.serviceName,
      runtime: RELAY_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel ?? 'INFO'],
      systemLogLevelV2:
        (props.platformLogLines ?? PLATFORM_LOG_LINES_BY_DEFAULT) ? SystemLogLevel.INFO : SystemLogLevel.WARN,
      environment: {
        RELAY_CONFIG: BUNDLED_CONFIG_FILE,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        SECRETS_CACHE_TTL_SECONDS: String((props.secretsCacheTtl ?? Duration.minutes(5)).toSeconds()),
        // Stack traces name TypeScript files and lines. Node reads index.mjs.map at start-up: ~10 ms of
        // cold start for the ~470 KB map (it was ~30 ms while the map also covered the bundled SDK).
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        // No explicit target: CDK derives it from the runtime (node24).
        mainFields: ['module', 'main'],
        banner: CREATE_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Stack traces still map to file:line; leaving the sources out halves the .map file.
        sourcesContent: false,
        externalModules: props.bundleAwsSdk ? [] : ['@aws-sdk/*'],
        // The only "legal" comments in the bundle are coverage pragmas (`v8 ignore … @preserve`).
        esbuildArgs: { '--legal-comments': 'none' },
        forceDockerBundling: false,
        // Errors and warnings only: the size summary of every bundle is noise in `cdk synth` output.
        logLevel: LogLevel.WARNING,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp ${shellQuote(configIsInProject ? `${inputDir}/${configInProject}` : resolve(props.configFile))} ${shellQuote(`${outputDir}/${BUNDLED_CONFIG_FILE}`)}`,
          ],
        },
      },
    });
  }
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
