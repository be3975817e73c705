import { Controller, Get, Header, Headers, Inject, NotFoundException } from '@nestjs/common';
import { officerFromAuthorization, type OfficerRole, type OfficerTokenVerifier } from '@aduan/platform';
import { qrSvg } from './pairing-qr';
import type { PairingView, WebSession } from './web-session';

export interface PairingDeps {
  /** Absent in cloud mode: there is nothing to pair. */
  session: WebSession | undefined;
  officerKeys: OfficerTokenVerifier | undefined;
}
export const PAIRING_DEPS = Symbol('PAIRING_DEPS');

// Whoever scans the QR code takes over the city's number: administrators only.
const MAY_PAIR: OfficerRole[] = ['admin'];

/**
 * The pairing state of the WhatsApp Web number and, while it waits, its QR code as an image: for
 * the officer console's pairing page (through the web service), so nobody reads a code from a log.
 */
@Controller('v1/officer/whatsapp/pairing')
export class PairingController {
  constructor(@Inject(PAIRING_DEPS) private readonly deps: PairingDeps) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async state(
    @Headers('authorization') authorization: string | undefined,
  ): Promise<PairingView | { state: 'cloud' }> {
    const session = await this.admitted(authorization);
    return session ? session.pairing() : { state: 'cloud' };
  }

  @Get('qr.svg')
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'no-store')
  async qr(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const text = (await this.admitted(authorization))?.qr();
    if (!text) throw new NotFoundException('no QR code is waiting to be scanned (see the pairing state)');
    return qrSvg(text);
  }

  private async admitted(authorization: string | undefined): Promise<WebSession | undefined> {
    await officerFromAuthorization(
      authorization,
      this.deps.officerKeys,
      MAY_PAIR,
      'pair the WhatsApp number',
    );
    return this.deps.session;
  }
}
