import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApi } from './asyncapi';

const target = join(__dirname, '../asyncapi.json');
writeFileSync(target, JSON.stringify(buildAsyncApi(), null, 2) + '\n');
process.stdout.write(`wrote ${target}\n`);
