import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { twitter } from './twitter';

runChannelMain(twitter);
