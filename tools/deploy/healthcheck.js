// The image's HEALTHCHECK: GET /health/ready of the service that SERVICE names, on the port
// its settings give (the *_PORT variable if set, else its default). Plain JavaScript, so the
// check starts in milliseconds without the TypeScript loader. image.spec.ts keeps this table
// equal to the services' own declarations.
const PORTS = {
  'channel-email': ['EMAIL_PORT', 3104],
  'channel-jaki': ['JAKI_PORT', 3101],
  'channel-lapor': ['LAPOR_PORT', 3106],
  'channel-media': ['NEWS_PORT', 3107],
  'channel-meta': ['META_PORT', 3103],
  'channel-officer': ['OFFICER_PORT', 3108],
  'channel-open311': ['OPEN311_PORT', 3110],
  'channel-telegram': ['TELEGRAM_PORT', 3109],
  'channel-twitter': ['TWITTER_PORT', 3102],
  'channel-whatsapp': ['WHATSAPP_PORT', 3105],
  router: ['ROUTER_PORT', 3200],
  status: ['STATUS_PORT', 3300],
  web: ['WEB_PORT', 3000],
};

function check() {
  const entry = PORTS[process.env.SERVICE ?? ''];
  if (!entry) {
    console.error(`healthcheck: unknown SERVICE ${JSON.stringify(process.env.SERVICE)}`);
    process.exit(1);
  }
  const [variable, port] = entry;
  // Docker's own timeout would count a hung answer as a failure too; this one says so sooner.
  setTimeout(() => process.exit(1), 4000).unref();
  fetch(`http://127.0.0.1:${process.env[variable] || port}/health/ready`).then(
    (res) => process.exit(res.ok ? 0 : 1),
    () => process.exit(1),
  );
}

if (require.main === module) check();

module.exports = { PORTS };
