/** A stand-in for the WorkDrive API's user endpoint, recording every request it gets. */
export type RecordedRequest = { url: string; apiKey: string | null };

export function fakeWorkDriveApi(
  users: Readonly<Record<string, { email?: string } | number | 'network-error'>>,
): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = new Headers(init?.headers);
    requests.push({ url, apiKey: headers.get('x-api-key') });
    const id = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
    const answer = users[id];
    if (answer === 'network-error') throw new TypeError('fetch failed');
    if (answer === undefined) return new Response('{"message":"not found"}', { status: 404 });
    if (typeof answer === 'number') return new Response('{}', { status: answer });
    return Response.json({ id, firstName: 'Test', lastName: 'User', ...answer, status: 'ACTIVE' });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}
