import { describe, expect, it } from 'vitest';
import { staticRuntimeImports } from '../../devkit/bundle-imports';
import { missingRuntimeModules } from '../bundles';

describe('bundles: the AWS SDK left to the runtime', () => {
  it('finds the packages a minified ESM bundle imports statically, not the lazy import()s', () => {
    const code = [
      'import{createRequire as __r}from"node:module";',
      'import{DynamoDBClient as a,GetItemCommand as b}from"@aws-sdk/client-dynamodb";',
      'import{marshall as c}from "@aws-sdk/util-dynamodb";import*as d from"@aws-sdk/client-secrets-manager";',
      'import"@aws-sdk/client-sts/dist-cjs/index.js";',
      'var e=()=>import("@aws-sdk/client-sqs");',
    ].join('');
    expect(staticRuntimeImports(code)).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-sts',
      '@aws-sdk/util-dynamodb',
    ]);
    expect(staticRuntimeImports('import{z}from"zod";')).toEqual([]);
  });

  it('reports an imported package that no loaded file of the project SDK belongs to', () => {
    const root = '/repo/node_modules/@aws-sdk';
    const loaded = [
      `${root}/client-dynamodb/dist-cjs/index.js`,
      `${root}/core/dist-cjs/index.js`,
      // Same package, another copy: it does not count.
      '/var/runtime/node_modules/@aws-sdk/client-secrets-manager/dist-cjs/index.js',
    ];
    expect(
      missingRuntimeModules(['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager'], loaded, root),
    ).toEqual(['@aws-sdk/client-secrets-manager']);
    expect(missingRuntimeModules([], [], root)).toEqual([]);
  });
});
