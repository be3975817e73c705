export * from './hub-signature';
export * from './twilio-signature';
export * from './webhook-http-app';
export * from './sms-segments';
export * from './sms-gateway';
