/** `@aws-sdk/…` packages a minified ESM bundle imports statically (`import … from"@aws-sdk/x"`). */
export function staticRuntimeImports(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*["'](@aws-sdk\/[^"'/]+)[^"']*["']/g)) {
    found.add(match[1] as string);
  }
  return [...found].sort();
}
