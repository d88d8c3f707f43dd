/**
 * miniSEED 3 files of one station and one time window, written and read with seisplotjs.
 *
 * Each file holds one channel (`FDSN:NET_STA__B_H_Z`, integer counts) cut into records of
 * {@link RECORD_SAMPLES} samples, as dataloggers write them; reading merges the records
 * back into one contiguous trace.
 *
 * File access is synchronous on purpose: a file is 130 KiB, read or written from the page
 * cache in well under a millisecond, while an asynchronous call costs a round trip through
 * libuv's thread pool that, on a loaded machine, leaves the PE's thread idle for longer than
 * the work itself. Blocking a PE instance's own thread for that long is the cheaper choice.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadSeisplotjs } from './seisplotjs.js';

/** Samples per miniSEED record (4 KiB of INT32 data). */
export const RECORD_SAMPLES = 1024;

/** A raw trace: one station's channel over one window. */
export interface RawTrace {
  /** `NET.STA`. */
  readonly station: string;
  readonly window: number;
  /** Time of the first sample, ms since the epoch. */
  readonly startMs: number;
  readonly sampleRate: number;
  readonly samples: Float64Array;
}

/** Writes `counts` as a miniSEED 3 file at `path` (atomically: a temporary file, renamed). */
export async function writeMiniSEED(
  path: string,
  station: string,
  startMs: number,
  sampleRate: number,
  counts: Int32Array,
): Promise<void> {
  const { fdsnsourceid, luxon, mseed3, seismogram, seismogramsegment } = await loadSeisplotjs();
  const [net, sta] = station.split('.');
  const sourceId = fdsnsourceid.FDSNSourceId.parse(`FDSN:${net}_${sta}__B_H_Z`);
  const segments = [];
  for (let i = 0; i < counts.length; i += RECORD_SAMPLES) {
    const start = luxon.DateTime.fromMillis(startMs + (i * 1000) / sampleRate, { zone: 'utc' });
    segments.push(
      new seismogramsegment.SeismogramSegment(
        counts.slice(i, i + RECORD_SAMPLES),
        sampleRate,
        start,
        sourceId,
      ),
    );
  }
  // Each record is saved into a buffer of its own: MSeed3Record.save computes the CRC over
  // the whole buffer behind the DataView it is given, not over the view, so saving records
  // side by side into one file-sized buffer would give every record a wrong CRC.
  const records = mseed3.toMSeed3(new seismogram.Seismogram(segments)).map((record) => {
    const bytes = new Uint8Array(record.calcSize());
    record.save(new DataView(bytes.buffer));
    return bytes;
  });
  writeFileSync(`${path}.part`, Buffer.concat(records));
  renameSync(`${path}.part`, path);
}

/** Reads a file written by {@link writeMiniSEED} (or any one-channel miniSEED 3 file). */
export async function readMiniSEED(path: string, window: number): Promise<RawTrace> {
  const { mseed3 } = await loadSeisplotjs();
  const file = readFileSync(path);
  const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  const records = mseed3.parseMSeed3Records(buffer);
  const trace = mseed3.merge(records);
  if (!trace.isContiguous()) throw new Error(`${path}: the records leave gaps`);
  const sourceId = trace.sourceId;
  return {
    station: `${sourceId.networkCode}.${sourceId.stationCode}`,
    window,
    startMs: trace.startTime.toMillis(),
    sampleRate: trace.sampleRate,
    samples: Float64Array.from(trace.y),
  };
}
