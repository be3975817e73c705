import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { telegram } from './telegram';

runChannelMain(telegram);
