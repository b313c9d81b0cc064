import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsJsonClient } from '../shared/aws/aws-json-client';

/**
 * A loopback Secrets Manager that speaks just GetSecretValue over the real JSON protocol (1.1), so tests
 * drive the relay's real client without an AWS account.
 */
export async function startSecretsManagerStub(initial: Record<string, unknown> = {}) {
  const secrets = new Map<string, string>(
    Object.entries(initial).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
  const calls: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { SecretId?: string };
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.GetSecretValue' || SecretId === undefined) {
        response
          .writeHead(400)
          .end(JSON.stringify({ __type: 'InvalidRequestException', message: 'unsupported' }));
        return;
      }
      calls.push(SecretId);
      const value = secrets.get(SecretId);
      if (value === undefined) {
        response
          .writeHead(400)
          .end(
            JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Secrets Manager can’t find it' }),
          );
        return;
      }
      response.writeHead(200).end(JSON.stringify({ Name: SecretId, SecretString: value, VersionId: 'v1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    calls,
    put: (name: string, value: unknown) =>
      secrets.set(name, typeof value === 'string' ? value : JSON.stringify(value)),
    client: () =>
      createAwsJsonClient({
        service: 'secretsmanager',
        endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
