import { topSelfTime, type CpuProfile } from './cpu-profile';

describe('self time from a V8 CPU profile', () => {
  it('adds up the time of the samples that landed in each function itself, highest first, idle included', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 3, callFrame: { functionName: 'take', url: 'file:///repo/libs/x.ts', lineNumber: 9 } },
        { id: 4, callFrame: { functionName: '', url: '/repo/node_modules/pg/lib/client.js', lineNumber: 0 } },
      ],
      samples: [2, 3, 2, 4, 3, 2],
      timeDeltas: [1000, 2000, 1000, 500, 2000, 1500],
    };
    expect(topSelfTime(profile, '/repo', 2)).toEqual(
      [
        { fn: '(idle)', ms: 3.5, share: 3.5 / 8 },
        { fn: 'take (libs/x.ts:10)', ms: 4, share: 0.5 },
      ].sort((a, b) => b.ms - a.ms),
    );
    expect(topSelfTime(profile, '/repo')[2]).toEqual({
      fn: '(anonymous) (node_modules/pg/lib/client.js:1)',
      ms: 0.5,
      share: 0.5 / 8,
    });
  });
});
