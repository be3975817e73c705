import 'reflect-metadata';
import { createLogger, runService } from '@aduan/platform';
import { SERVICE, startChannelWhatsapp } from './app';

const logger = createLogger(SERVICE);
void runService(SERVICE, logger, () => startChannelWhatsapp(process.env, logger));
