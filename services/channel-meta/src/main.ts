import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { meta } from './meta';

runChannelMain(meta);
