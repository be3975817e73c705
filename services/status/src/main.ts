import 'reflect-metadata';
import { createLogger, runService } from '@aduan/platform';
import { SERVICE, startStatus } from './app';

const logger = createLogger(SERVICE);
void runService(SERVICE, logger, () => startStatus(process.env, logger));
