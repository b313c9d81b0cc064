import { readFile } from 'node:fs/promises';
import { describeJsonError } from '../config/json-position';
import { PartySecret } from '../config/secret-value';
import { type SecretStore, SecretUnavailableError } from '../ports/secret-store';
import { describeSecretProblem } from './secret-problem';

/**
 * Local mode's secret store: one JSON file `{ "<secretName>": { …secret value… } }` (docs/architecture.md §3).
 * Read again on `forceFetch`, so editing the file is how a local operator "rotates" a key.
 */
export class FileSecretStore implements SecretStore {
  #secrets: Promise<Record<string, unknown>> | undefined;

  constructor(readonly file: string) {}

  async get(secretName: string, options: { forceFetch?: boolean } = {}): Promise<PartySecret> {
    if (options.forceFetch || this.#secrets === undefined) this.#secrets = this.#read();
    const all = await this.#secrets;
    if (!Object.hasOwn(all, secretName))
      throw new SecretUnavailableError(secretName, `not found in ${this.file}`);
    const parsed = PartySecret.safeParse(all[secretName]);
    if (!parsed.success) throw new SecretUnavailableError(secretName, describeSecretProblem(parsed.error));
    return parsed.data;
  }

  async #read(): Promise<Record<string, unknown>> {
    const text = await readFile(this.file, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // Position only: the file holds secrets, so no excerpt of it is quoted.
      throw new Error(`secrets file ${this.file} is not valid JSON: ${describeJsonError(text, error)}`, {
        cause: error,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${this.file} must hold a JSON object of secret name → secret value`);
    }
    return parsed as Record<string, unknown>;
  }
}
