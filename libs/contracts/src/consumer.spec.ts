import { cloudEventHeaders, MalformedEnvelope } from './cloud-events';
import { decodeEvent, decodeMessage, isMessageOf, physicalTopic, Topics, topicOf } from './consumer';
import { TOPIC_NAMES } from './topic-map';
import type { ReportLifecycle } from './types';
import { ContractViolation } from './validation';

const transition: ReportLifecycle = {
  reportId: '0b6f3c1e-5f7a-5d2b-9c1e-2a3b4c5d6e7f',
  trackingCode: 'ABCDE-FGHJK',
  sequence: 2,
  from: 'RECEIVED',
  to: 'DISPOSITION',
  at: '2026-11-30T03:22:00.000Z',
  actor: { kind: 'system', id: 'status' },
  unit: { code: 'SDBM-JP', name: 'Suku Dinas Bina Marga Jakarta Pusat' },
  evidence: [],
};

function asRecord(value: unknown, topic: 'aduan.report.lifecycle.v1' = Topics.reportLifecycle) {
  const headers = cloudEventHeaders(topic, transition, { source: '/aduan/status', id: 'ev-1' });
  return {
    value: Buffer.from(JSON.stringify(value)),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

describe('consumer helper', () => {
  it('names every topic by a constant', () => {
    expect(Object.values(Topics).sort()).toEqual([...TOPIC_NAMES].sort());
  });

  it('decodes a record value as Kafka hands it over, keeping fields a newer producer added', () => {
    const bytes = Buffer.from(JSON.stringify({ ...transition, addedLater: true }));
    const event = decodeEvent(Topics.reportLifecycle, bytes);
    expect(event.to).toBe('DISPOSITION');
    expect(event).toMatchObject({ addedLater: true });
    expect(decodeEvent(Topics.reportLifecycle, new Uint8Array(bytes)).sequence).toBe(2);
    expect(decodeEvent(Topics.reportLifecycle, JSON.stringify(transition)).sequence).toBe(2);
  });

  it('refuses what is not JSON, an empty record and an event breaking its schema, saying why', () => {
    expect(() => decodeEvent(Topics.reportLifecycle, Buffer.from('{oops'))).toThrow(/not JSON/);
    expect(() => decodeEvent(Topics.reportState, null)).toThrow(/has no value/);
    expect(() => decodeEvent(Topics.reportLifecycle, JSON.stringify({ ...transition, to: 'DONE' }))).toThrow(
      ContractViolation,
    );
  });

  it('decodes a record of a prefixed deployment with its CloudEvents attributes', () => {
    const decoded = decodeMessage('city-a.aduan.report.lifecycle.v1', asRecord(transition), 'city-a.');
    expect(decoded.topic).toBe(Topics.reportLifecycle);
    expect(decoded.attributes).toMatchObject({
      id: 'ev-1',
      source: '/aduan/status',
      subject: transition.reportId,
    });
    if (!isMessageOf(decoded, Topics.reportLifecycle)) throw new Error('expected a lifecycle event');
    expect(decoded.event.unit?.name).toBe('Suku Dinas Bina Marga Jakarta Pusat');
  });

  it('refuses a record whose headers name another event type or none', () => {
    const record = asRecord(transition);
    expect(() => decodeMessage(Topics.reportState, record)).toThrow(MalformedEnvelope);
    expect(() => decodeMessage(Topics.reportLifecycle, { value: record.value })).toThrow(
      /missing CloudEvents headers/,
    );
  });

  it('maps topic names to and from a deployment prefix', () => {
    expect(physicalTopic(Topics.reportState, 'test-1.')).toBe('test-1.aduan.report.state.v1');
    expect(topicOf('aduan.report.state.v1')).toBe(Topics.reportState);
    expect(() => topicOf('test-1.orders.v1', 'test-1.')).toThrow(/not an Aduan topic/);
  });
});
