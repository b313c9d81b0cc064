import { ApiKeyRing } from './api-keys';
import {
  parseApiKeys,
  parseEnvironmentConfig,
  parseEnvironmentName,
  SandboxInputError,
} from './control-schemas';
import { UserDirectory } from './directory';
import type { RecordedActivity, RecordedRequest, SandboxEnvironmentConfig } from './types';

export type SandboxEnvironment = { name: string; keys: ApiKeyRing; directory: UserDirectory };

/** Everything the sandbox remembers: environments, accepted activities and the requests it answered. */
export class SandboxState {
  private readonly environments = new Map<string, SandboxEnvironment>();
  private recorded: RecordedActivity[] = [];
  private seen: RecordedRequest[] = [];
  private lastActivityId = 0;

  addEnvironment(name: string, config: SandboxEnvironmentConfig): void {
    const checkedName = parseEnvironmentName(name);
    const checked = parseEnvironmentConfig(config);
    this.environments.set(checkedName, {
      name: checkedName,
      keys: new ApiKeyRing(checked.apiKeys),
      directory: new UserDirectory(checked.users),
    });
  }

  setApiKeys(name: string, apiKeys: string[]): void {
    const environment = this.environments.get(name);
    if (!environment) throw new SandboxInputError(`unknown environment "${name}"; add it first`);
    environment.keys.replace(parseApiKeys(apiKeys));
  }

  environment(name: string): SandboxEnvironment | undefined {
    return this.environments.get(name);
  }

  environmentList(): SandboxEnvironment[] {
    return [...this.environments.values()];
  }

  nextActivityId(): number {
    this.lastActivityId += 1;
    return this.lastActivityId;
  }

  /** A feed saved earlier (local mode keeps it across restarts); new ids continue after its highest. */
  restore(activities: readonly RecordedActivity[]): void {
    this.recorded.push(...structuredClone(activities));
    for (const activity of activities) this.lastActivityId = Math.max(this.lastActivityId, activity.id);
  }

  record(activity: RecordedActivity): void {
    this.recorded.push(activity);
  }

  logRequest(request: RecordedRequest): void {
    this.seen.push(request);
  }

  /** Copies, so a test cannot change what the sandbox remembers. */
  activities(filter: { environment?: string; upn?: string } = {}): RecordedActivity[] {
    const upn = filter.upn?.toLowerCase();
    return structuredClone(
      this.recorded.filter(
        (activity) =>
          (filter.environment === undefined || activity.environment === filter.environment) &&
          (upn === undefined || activity.user.upn.toLowerCase() === upn),
      ),
    );
  }

  requests(): RecordedRequest[] {
    return structuredClone(this.seen);
  }

  /** Activity ids keep increasing across resets, like a real server's. */
  reset(): void {
    this.recorded = [];
    this.seen = [];
  }
}
