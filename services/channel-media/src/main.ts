import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { massMedia } from './media';

runChannelMain(massMedia);
