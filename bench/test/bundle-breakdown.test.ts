import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bytesByPackage,
  bytesBySource,
  decodeSegment,
  packageOf,
  type SourceMap,
} from '../support/bundle-breakdown';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('source map breakdown', () => {
  it('decodes base64 VLQ segments', () => {
    expect(decodeSegment('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeSegment('AACA')).toEqual([0, 0, 1, 0]);
    expect(decodeSegment('D')).toEqual([-1]);
    expect(decodeSegment('gB')).toEqual([16]);
    expect(decodeSegment('2H')).toEqual([123]);
    expect(decodeSegment('3HAAgB')).toEqual([-123, 0, 0, 16]);
    expect(() => decodeSegment('A!')).toThrow(/invalid VLQ/);
  });

  it('names packages the way the bench table groups them', () => {
    expect(packageOf('../../node_modules/@aws-sdk/client-sqs/dist-es/index.js')).toBe('@aws-sdk/*');
    expect(packageOf('../../node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(packageOf('../../node_modules/a/node_modules/b/index.js')).toBe('a');
    expect(packageOf('../../shared/ingress/handle-webhook.ts')).toBe('relay code');
  });

  it('splits a real minified esbuild bundle over its sources, every byte counted once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-breakdown-'));
    await mkdir(join(dir, 'node_modules', 'tiny-pkg'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'tiny-pkg', 'index.js'), 'export const tiny = (a) => a + 1;\n');
    const words = Array.from({ length: 200 }, (_, index) => `'word-${index}'`).join(', ');
    await writeFile(join(dir, 'big.js'), `export function big() { return [${words}].join(' '); }\n`);
    await writeFile(
      join(dir, 'entry.js'),
      "import { tiny } from 'tiny-pkg';\nimport { big } from './big.js';\nconsole.log(tiny(1), big());\n",
    );
    const result = await esbuild.build({
      entryPoints: [join(dir, 'entry.js')],
      bundle: true,
      minify: true,
      format: 'esm',
      sourcemap: 'external',
      outfile: join(dir, 'out.mjs'),
      banner: { js: '/* banner */' },
      write: false,
    });
    const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'))?.text ?? '';
    const map = JSON.parse(
      result.outputFiles.find((file) => file.path.endsWith('.map'))?.text ?? '{}',
    ) as SourceMap;

    const bySource = bytesBySource(code, map);
    const total = [...bySource.values()].reduce((sum, bytes) => sum + bytes, 0);
    expect(total).toBe(Buffer.byteLength(code));
    const bigBytes = [...bySource].find(([source]) => source.endsWith('big.js'))?.[1] ?? 0;
    const tinyBytes = [...bySource].find(([source]) => source.includes('tiny-pkg'))?.[1] ?? 0;
    expect(bigBytes).toBeGreaterThan(200 * 'word-0'.length);
    expect(tinyBytes).toBeGreaterThan(0);
    expect(tinyBytes).toBeLessThan(100);

    const byPackage = bytesByPackage(code, map);
    expect(byPackage[0]?.[0]).toBe('relay code');
    expect(byPackage.map(([name]) => name)).toContain('tiny-pkg');
    expect(byPackage.map(([name]) => name)).toContain('(generated)');
  });
});
