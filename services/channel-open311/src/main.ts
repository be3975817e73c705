import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { open311 } from './app';

runChannelMain(open311);
