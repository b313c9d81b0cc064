/**
 * Import layering (docs/architecture.md §2), checked by `npm run depcheck` as part of `npm test`.
 * Layers import only downwards: shared/ is the domain the Lambdas ship and depends on nothing of ours
 * outside it; devkit/ is developer tooling that never reaches a function bundle; bench/ and test/ are
 * separate consumers that share code only through devkit/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-imports-only-shared',
      comment:
        'shared/ is what the Lambdas ship: it may import itself, Node and npm packages, nothing else of ours (types included).',
      severity: 'error',
      from: { path: '^shared/' },
      // `aws-lambda` is the event types package (@types/aws-lambda), which resolves to no file.
      to: { pathNot: ['^shared/', '^node_modules/', '^aws-lambda$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'no-cycles',
      comment: 'A cycle makes load order matter and layers impossible to separate.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'bench-not-test',
      comment: 'bench/ and test/ share code only through devkit/.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'test-not-bench',
      comment: 'bench/ and test/ share code only through devkit/ (bench tests live in bench/test/).',
      severity: 'error',
      from: { path: '^test/' },
      to: { path: '^bench/' },
    },
    {
      name: 'no-devkit-in-functions',
      comment: 'Nothing a Lambda entry point loads may come from devkit/ (nor from bench/ or test/).',
      severity: 'error',
      from: { path: '^functions/(ingress|worker)/' },
      to: { path: '^(devkit|bench|test)/', reachable: true },
    },
    {
      name: 'lambda-hosts-not-local-hosts',
      comment: 'The Lambda entry points never load the local, CLI or sandbox hosts.',
      severity: 'error',
      from: { path: '^functions/(ingress|worker)/' },
      to: { path: '^functions/(local|cli|sandbox)/', reachable: true },
    },
    {
      name: 'domain-not-hosts',
      comment: 'devkit/ and infra/ build on shared/, never on a host under functions/ or on test/ or bench/.',
      severity: 'error',
      from: { path: '^(devkit|infra)/' },
      to: { path: '^(functions|test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|dist|\\.state)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
