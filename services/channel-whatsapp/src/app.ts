export { startChannelWhatsapp } from './whatsapp';
