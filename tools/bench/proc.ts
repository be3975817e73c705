import { readdirSync, readFileSync } from 'node:fs';

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

/** Busy CPU seconds of the whole machine from /proc/stat's `cpu` line: all but idle and iowait. */
export function parseMachineBusy(procStat: string, ticksPerSecond = 100): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return NaN;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / ticksPerSecond;
}

export function machineBusySeconds(): number {
  return parseMachineBusy(readFileSync('/proc/stat', 'utf8'));
}

/**
 * CPU seconds of every process running one command (`postgres`, the broker's `java`), counted
 * from the first sample on. The services' PostgreSQL backends live as long as their pools; a
 * process that starts between two samples counts whole, one that ends between them is missed.
 */
export class CommandCpu {
  private last = new Map<number, number>();
  private total = 0;
  private sampled = false;

  constructor(private readonly command: string) {}

  sample(): number {
    const now = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== this.command) continue;
        now.set(Number(entry), parseStatCpu(readFileSync(`/proc/${entry}/stat`, 'utf8')));
      } catch {
        // gone between the listing and the read
      }
    }
    if (this.sampled) for (const [pid, cpu] of now) this.total += cpu - (this.last.get(pid) ?? 0);
    this.last = now;
    this.sampled = true;
    return this.total;
  }
}
