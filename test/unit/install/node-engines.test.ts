import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

type LockEntry = { engines?: { node?: string } | string[]; optional?: boolean };
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
const readme = readFileSync('README.md', 'utf8');

/** The oldest Node the project promises (package.json `engines`), and the one running the tests. */
const promised = semver.minVersion(packageJson.engines.node)?.version ?? '';

describe('npm ci installs cleanly on the Node versions the README promises', () => {
  it('the README states the same minimum as package.json engines', () => {
    const [major, minor] = promised.split('.');
    expect(readme).toContain(`Node.js ${major}.${minor} or newer`);
  });

  it.each([
    ['the oldest promised', promised],
    ['the running', process.versions.node],
  ])('every locked package accepts %s Node (%s): no EBADENGINE warning', (_, version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range && !semver.satisfies(version, range) ? [`${path} requires node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
