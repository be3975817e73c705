import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { lapor } from './lapor';

runChannelMain(lapor);
