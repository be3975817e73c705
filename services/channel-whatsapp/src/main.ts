import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { whatsapp } from './whatsapp';

runChannelMain(whatsapp);
