// Follows aduan.report.lifecycle.v1 and aduan.report.state.v1 and prints, line by line, how
// reports move: every transition, and the state each report is in now.
//
//   KAFKA_BROKERS       brokers, comma-separated (default 127.0.0.1:9092)
//   KAFKA_TOPIC_PREFIX  the deployment's topic prefix, if it has one
//   FOLLOWER_GROUP_ID   this app's consumer group (default aduan-lifecycle-follower)
//   FOLLOW_REPORT       print only this report: its tracking code or report id
import {
  decodeMessage,
  isMessageOf,
  physicalTopic,
  Topics,
  type DecodedMessage,
  type ReportLifecycle,
  type ReportState,
  type TopicName,
} from '@aduan/contracts';
import { Kafka, logLevel } from 'kafkajs';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const prefix = process.env['KAFKA_TOPIC_PREFIX'] ?? '';
const groupId = process.env['FOLLOWER_GROUP_ID'] ?? 'aduan-lifecycle-follower';
const only = process.env['FOLLOW_REPORT']?.trim().toUpperCase();

// Kafka delivers at least once: a record can come again after a rebalance or a restart. The
// lifecycle's sequence and the state's version say which ones were already printed. (An app
// that must survive its own restarts keeps these where it keeps its offsets.)
const lastSequence = new Map<string, number>();
const lastVersion = new Map<string, number>();

function wanted(event: { reportId: string; trackingCode: string }): boolean {
  return !only || event.trackingCode === only || event.reportId.toUpperCase() === only;
}

function transitionLine(e: ReportLifecycle): string | undefined {
  if ((lastSequence.get(e.reportId) ?? 0) >= e.sequence) return undefined;
  lastSequence.set(e.reportId, e.sequence);
  const unit = e.unit ? ` (unit ${e.unit.name})` : '';
  const note = e.publicNote ? `: ${e.publicNote}` : '';
  return `${e.trackingCode} #${e.sequence} ${e.from ?? 'new'} -> ${e.to} by ${e.actor.kind}${unit}${note}`;
}

function stateLine(e: ReportState): string | undefined {
  if ((lastVersion.get(e.reportId) ?? 0) >= e.version) return undefined;
  lastVersion.set(e.reportId, e.version);
  const unit = e.unit ? ` at ${e.unit.name}` : '';
  const merged = e.mergedInto ? `, merged into ${e.mergedInto}` : '';
  return `${e.trackingCode} is ${e.state} (${e.label}) v${e.version}${unit}${merged}`;
}

function lineFor(decoded: DecodedMessage<TopicName>): string | undefined {
  if (isMessageOf(decoded, Topics.reportLifecycle))
    return wanted(decoded.event) ? transitionLine(decoded.event) : undefined;
  if (isMessageOf(decoded, Topics.reportState))
    return wanted(decoded.event) ? stateLine(decoded.event) : undefined;
  return undefined;
}

async function main(): Promise<void> {
  const kafka = new Kafka({ clientId: groupId, brokers, logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId });
  const topics = [Topics.reportLifecycle, Topics.reportState].map((t) => physicalTopic(t, prefix));

  await consumer.connect();
  // A new group reads from the start: the compacted state topic then holds every report's state.
  await consumer.subscribe({ topics, fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () =>
    console.error(`following ${topics.join(', ')} as ${groupId}`),
  );
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      let decoded;
      try {
        decoded = decodeMessage(topic, message, prefix);
      } catch (err) {
        // A record that breaks the contract is reported and passed over: it will not get better.
        console.error(`skipped ${topic}[${partition}]@${message.offset}: ${(err as Error).message}`);
        return;
      }
      const line = lineFor(decoded);
      if (line) console.log(line);
    },
  });

  const stop = () => {
    consumer.disconnect().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const hint =
    (err as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION'
      ? ` (is Aduan running on ${brokers.join(',')}, with the topic prefix "${prefix}"?)`
      : '';
  console.error(`lifecycle-follower: ${(err as Error).message}${hint}`);
  process.exit(1);
});
