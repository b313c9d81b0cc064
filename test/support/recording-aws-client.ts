import type { AwsJsonClient } from '../../shared/aws/aws-json-client';

export type RecordedCall = { operation: string; input: Record<string, unknown> };

/**
 * An AwsJsonClient that records every call and answers with `answer` (a value or a thrown error): for
 * unit tests of an adapter's requests; the client itself is tested against real protocol servers.
 */
export function recordingAwsClient(
  answer: (call: RecordedCall, index: number) => unknown = () => ({}),
): AwsJsonClient & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    async call<TOutput>(operation: string, input: object): Promise<TOutput> {
      // A copy: the adapter may reuse its arrays between calls.
      const call = { operation, input: structuredClone(input) as Record<string, unknown> };
      calls.push(call);
      return answer(call, calls.length - 1) as TOutput;
    },
  };
}
