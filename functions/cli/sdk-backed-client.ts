import type { AwsJsonClient } from '../../shared/aws/aws-json-client';

type SdkClient = { send(command: never): Promise<unknown> };
type SdkCommand = new (input: never) => unknown;

/**
 * The shared adapters' client interface over an SDK client: the CLI runs on a laptop, where it needs the
 * SDK's whole credential chain (profiles, SSO, the region of the AWS configuration) that the Lambdas'
 * light client leaves out. `commands` are the operations the adapter may call, e.g.
 * `{ GetItem: GetItemCommand }`; errors are the SDK's (their `name` is the service's code).
 */
export function sdkBackedClient(client: SdkClient, commands: Record<string, SdkCommand>): AwsJsonClient {
  return {
    async call<TOutput>(operation: string, input: object): Promise<TOutput> {
      const Command = commands[operation];
      if (!Command) throw new Error(`the CLI's AWS client does not offer ${operation}`);
      return (await client.send(new Command(input as never) as never)) as TOutput;
    },
  };
}
