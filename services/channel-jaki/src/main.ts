import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { jaki } from './app';

runChannelMain(jaki);
