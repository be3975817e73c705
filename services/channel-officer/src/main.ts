import 'reflect-metadata';
import { createLogger, runService } from '@aduan/platform';
import { SERVICE, startChannelOfficer } from './app';

const logger = createLogger(SERVICE);
void runService(SERVICE, logger, () => startChannelOfficer(process.env, logger));
