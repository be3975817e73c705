import 'reflect-metadata';
import { createLogger, runService } from '@aduan/platform';
import { SERVICE, startChannelJaki } from './app';

const logger = createLogger(SERVICE);
void runService(SERVICE, logger, () => startChannelJaki(process.env, logger));
