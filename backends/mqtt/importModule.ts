/**
 * @internal What a shipped bundle's dynamic `import()` calls (see `dynamicImports.ts`): the
 * same import, made from here, so a bare specifier resolves against this node's installation
 * (as the bundle's static imports of dispel4ts' dependencies do).
 */
export function importModule(specifier: string, options?: ImportCallOptions): Promise<unknown> {
  return import(specifier, options);
}
