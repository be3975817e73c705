import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { email } from './email';

runChannelMain(email);
