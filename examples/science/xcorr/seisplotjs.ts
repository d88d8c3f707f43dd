/**
 * Loads seisplotjs (miniSEED 3 writer and parser, Seismogram, filters, tapers) in Node.
 *
 * seisplotjs 3.2.2's Node entry (`seisplotjs/nodeonly`, `index_node.mjs`) still defines one
 * browser custom element when it loads (`class SeisPlotDebugElement extends HTMLDivElement`
 * and `customElements.define(...)`), so importing it in Node throws
 * `ReferenceError: HTMLDivElement is not defined`. The parts used here (mseed3, seismogram,
 * filter, taper) touch no DOM, so an inert stand-in for those two globals, set only when
 * they are missing, is enough. The module is loaded once per thread, on first use, so only
 * the workers that run miniSEED or filtering PEs pay its ~0.4 s import.
 */
type SeisPlotJs = typeof import('seisplotjs');

let loading: Promise<SeisPlotJs> | undefined;

/** seisplotjs, imported once per thread. */
export function loadSeisplotjs(): Promise<SeisPlotJs> {
  loading ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    g['HTMLDivElement'] ??= class HTMLDivElementStandIn {};
    g['customElements'] ??= { define: () => undefined, get: () => undefined };
    return import('seisplotjs');
  })();
  return loading;
}
