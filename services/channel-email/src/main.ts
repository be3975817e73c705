import 'reflect-metadata';
import { createLogger, runService } from '@aduan/platform';
import { SERVICE, startChannelEmail } from './app';

const logger = createLogger(SERVICE);
void runService(SERVICE, logger, () => startChannelEmail(process.env, logger));
