import { parseMachineBusy, parseStatCpu, parseStatus } from './proc';

describe('bench process figures from /proc', () => {
  it('reads the resident set now and its peak (VmHWM) in MB', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  348160 kB\nVmRSS:\t  204800 kB\n';
    expect(parseStatus(status)).toEqual({ rssMb: 200, peakRssMb: 340 });
  });

  it('adds user and system CPU time, even when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 566 0 0 20 0 11 0 100 0 0';
    expect(parseStatCpu(stat)).toBeCloseTo(18.0, 5);
  });

  it('counts the whole machine busy without its idle and iowait time', () => {
    const stat = 'cpu  1000 50 300 9000 200 10 40 0 0 0\ncpu0 500 25 150 4500 100 5 20 0 0 0\n';
    expect(parseMachineBusy(stat)).toBeCloseTo(14.0, 5);
  });
});
