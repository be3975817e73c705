// whatsapp-web.js drives Debian's Chromium; no browser is downloaded at install.
module.exports = {
  skipDownload: true,
  executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
};
