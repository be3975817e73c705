import 'reflect-metadata';
import { createLogger, runService } from '@aduan/platform';
import { SERVICE, startRouter } from './app';

const logger = createLogger(SERVICE);
void runService(SERVICE, logger, () => startRouter(process.env, logger));
