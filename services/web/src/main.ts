import 'reflect-metadata';
import { createLogger, runService } from '@aduan/platform';
import { SERVICE, startWeb } from './app';

const logger = createLogger(SERVICE);
void runService(SERVICE, logger, () => startWeb(process.env, logger));
