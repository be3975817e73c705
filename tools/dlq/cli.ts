import { parseArgs } from 'node:util';
import { busFromConfig } from '@aduan/bus';
import { ConfigError, createLogger, kafkaSettings, loadConfig } from '@aduan/platform';
import { DlqUsageError, list, replay, show } from './dlq-commands';

const USAGE = `usage: npm run dlq -- list [<topic>]
       npm run dlq -- show <topic> --id <ce_id | partition:offset>
       npm run dlq -- replay <topic> (--id <ce_id | partition:offset> | --all)
Reads KAFKA_BROKERS, KAFKA_TOPIC_PREFIX and the KAFKA_SSL*/KAFKA_SASL* settings like the services.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { id: { type: 'string' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, topic] = positionals;
  if (values.help || !command || !['list', 'show', 'replay'].includes(command)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig('dlq', kafkaSettings);
  // Kafka's own warnings only: the commands' output is the answer.
  const bus = busFromConfig('dlq-cli', config, createLogger('dlq-cli', 'warn'));
  const print = (line: string) => console.log(line);
  try {
    await bus.connect();
    if (command === 'list') await list(bus, topic, print);
    else if (command === 'show') await show(bus, topic, values.id, print);
    else await replay(bus, topic, { id: values.id, all: values.all }, print);
    return 0;
  } finally {
    await bus.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof DlqUsageError || err instanceof ConfigError) console.error(err.message);
    else console.error(err);
    process.exit(err instanceof DlqUsageError ? 2 : 1);
  },
);
