import 'reflect-metadata';
import { runChannelMain } from '@aduan/channel-sdk';
import { officer } from './officer';

runChannelMain(officer);
