import { init, parse } from 'es-module-lexer';

/** The name a bundle calls its dynamic imports by. */
const IMPORT = '__d4tsImport';

/**
 * @internal Points every dynamic `import()` in a bundle at `importModule` (importModule.ts,
 * which `helper` names as the bundle should import it), under a name of its own.
 *
 * Why: a node runs under tsx, whose loader rewrites every module with a dynamic `import()`
 * in it (it appends an interop `.then`) and attaches an inline source map of the whole file,
 * which Node then parses. For the xcorr example's 4.9 MB bundle (seisplotjs and vega's
 * optional `import("canvas")`), loading took 1.4-1.6 s instead of 0.27-0.30 s (3.7 s on a
 * busy machine), in stretches of up to 0.8 s without a turn of the event loop — two nodes
 * loading at once on a busy machine went silent past the heartbeat timeout. A bundle without
 * dynamic imports is left alone by tsx.
 *
 * es-module-lexer finds the calls (not the word in a comment or a string); code it cannot
 * lex is returned as it was (slower to load, the same to run).
 */
export async function routeDynamicImports(code: string, helper: string): Promise<string> {
  await init;
  let imports: ReturnType<typeof parse>[0];
  try {
    [imports] = parse(code);
  } catch {
    return code;
  }
  // `import(` itself, not `import.source(`/`import.defer(` (phases a node would not have).
  const calls = imports.filter(
    (i) => i.type === 'dynamic' && i.phase === null && code.startsWith('import', i.importStart),
  );
  if (calls.length === 0) return code;
  // After a hashbang, if the bundle starts with one; static imports are hoisted anyway.
  const head = code.startsWith('#!') ? code.indexOf('\n') + 1 : 0;
  let out = `${code.slice(0, head)}import { importModule as ${IMPORT} } from ${JSON.stringify(helper)};\n`;
  let at = head;
  for (const call of calls) {
    out += code.slice(at, call.importStart) + IMPORT;
    at = call.importStart + 'import'.length;
  }
  return out + code.slice(at);
}
