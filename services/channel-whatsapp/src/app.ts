import { runChannel } from '@aduan/channel-sdk';
import { createLogger, type Logger } from '@aduan/platform';
import { whatsapp } from './whatsapp';

export const startChannelWhatsapp = (
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(whatsapp.service),
) => runChannel(whatsapp, env, logger);
