import { readFileSync } from 'node:fs';

/** What /proc tells about one process: its CPU time so far and its memory now and at peak. */
export interface ProcSample {
  cpuSeconds: number;
  rssMb: number;
  peakRssMb: number;
}

/** `VmRSS` and `VmHWM` (the resident peak since the process started) of /proc/<pid>/status, in MB. */
export function parseStatus(text: string): { rssMb: number; peakRssMb: number } {
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/**
 * utime + stime of /proc/<pid>/stat, in seconds. The command name (field 2) may hold spaces
 * and parentheses, so fields are counted from the last ')'.
 */
export function parseStatCpu(text: string, ticksPerSecond = 100): number {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Undefined once the process has gone. */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    return {
      cpuSeconds: parseStatCpu(readFileSync(`/proc/${pid}/stat`, 'utf8')),
      ...parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8')),
    };
  } catch {
    return undefined;
  }
}
