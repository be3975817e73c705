import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTopicName, TOPIC_NAMES } from '@aduan/contracts';
import { consumedTopics, TOPOLOGY } from './topology';
import { ROOT } from './values';
import { composeServices } from './render';
import { productionSources } from './sources';

/** The code a service runs: its own, and the channel kit's for an adapter. */
function codeOf(service: string): string {
  const dirs = [join(ROOT, 'services', service, 'src')];
  if (service.startsWith('channel-')) dirs.push(join(ROOT, 'libs/channel-sdk/src'));
  return dirs
    .flatMap(productionSources)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n')
    .replace(/\$\{adapter\.service\}/g, service);
}

const topicsIn = (text: string) => [...text.matchAll(/'(aduan\.[a-z.]+\.v\d+)'/g)].map((m) => m[1]!);

/** The balanced `{…}` or `[…]` that opens at `from`. */
function block(text: string, from: number): string {
  const open = text[from]!;
  const close = open === '{' ? '}' : ']';
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error(`unbalanced ${open} at ${from}`);
}

/** What the code says a service does on the bus. */
function scan(service: string) {
  const code = codeOf(service);
  const produces = [
    ...[...code.matchAll(/\.publish\(\s*'(aduan\.[a-z.]+\.v\d+)'/g)].map((m) => m[1]!),
    // The status service publishes through its outbox: what it enqueues, its relay sends.
    ...[...code.matchAll(/enqueue\(\s*\w+,\s*'(aduan\.[a-z.]+\.v\d+)'/g)].map((m) => m[1]!),
    // …or several at once: `enqueueAll(tx, [{ topic: '…', payload }, …])`.
    ...[...code.matchAll(/\{\s*topic:\s*'(aduan\.[a-z.]+\.v\d+)',\s*payload/g)].map((m) => m[1]!),
  ];
  const consumed = [...code.matchAll(/\b(?:h|batchH)andlers:\s*\{/g)].flatMap((m) =>
    // Only the handler map's own keys (a topic named inside a handler's body is not consumed).
    [...block(code, m.index + m[0].length - 1).matchAll(/^\s*\{?\s*'(aduan\.[a-z.]+\.v\d+)':/gm)].map(
      (k) => k[1]!,
    ),
  );
  const groups = [...code.matchAll(/groupId:\s*['`](aduan\.[^'`]+)['`]/g)].map((m) => m[1]!);
  const ensures = [
    ...[...code.matchAll(/ensureTopics\(\s*\[/g)].flatMap((m) =>
      topicsIn(block(code, m.index + m[0].length - 1)),
    ),
    ...[...code.matchAll(/openChannelRuntime\([^[]*\[/g)].flatMap((m) =>
      topicsIn(block(code, m.index + m[0].length - 1)),
    ),
  ];
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  return { produces: uniq(produces), consumed: uniq(consumed), groups: uniq(groups), ensures: uniq(ensures) };
}

describe('tools/deploy/topology.ts', () => {
  const services = Object.keys(composeServices()).sort();

  it('describes every application service', () => {
    expect(Object.keys(TOPOLOGY).sort()).toEqual(services);
  });

  it('names only topics of libs/contracts', () => {
    for (const t of Object.values(TOPOLOGY))
      for (const topic of [...t.produces, ...consumedTopics(t), ...t.ensures])
        expect(isTopicName(topic)).toBe(true);
  });

  it.each(Object.keys(TOPOLOGY))('%s: matches what its code publishes, consumes and checks', (service) => {
    const t = TOPOLOGY[service]!;
    const found = scan(service);
    const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();
    expect({ service, ...found }).toEqual({
      service,
      produces: sorted(t.produces),
      consumed: sorted(consumedTopics(t)),
      groups: sorted(Object.keys(t.consumes)),
      ensures: sorted(t.ensures),
    });
  });

  it('leaves no topic without a producer or without a consumer', () => {
    const produced = new Set(Object.values(TOPOLOGY).flatMap((t) => t.produces));
    const consumed = new Set(Object.values(TOPOLOGY).flatMap(consumedTopics));
    expect(TOPIC_NAMES.filter((t) => !produced.has(t))).toEqual([]);
    // The compacted state topic is for downstream apps: nothing of Aduan reads it.
    expect(TOPIC_NAMES.filter((t) => !consumed.has(t))).toEqual(['aduan.report.state.v1']);
  });

  it('the scan is live: it finds the router’s consumer in the router’s code', () => {
    expect(scan('router').groups).toEqual(['aduan.router']);
    expect(scan('router').consumed).toEqual(['aduan.complaint.received.v1', 'aduan.report.lifecycle.v1']);
  });
});
