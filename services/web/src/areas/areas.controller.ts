import { BadRequestException, Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { KELURAHAN_KODE, kelurahanOutline, type KelurahanOutline } from './kelurahan-outline';

/** Public boundary data for the console's map; nothing here is about a report. */
@Controller('api/areas')
export class AreasController {
  @Get('kelurahan/:kode')
  @Header('Cache-Control', 'public, max-age=86400')
  outline(@Param('kode') kode: string): KelurahanOutline {
    if (!KELURAHAN_KODE.test(kode))
      throw new BadRequestException('kelurahan code must look like 31.71.04.1002');
    const outline = kelurahanOutline(kode);
    if (!outline) throw new NotFoundException(`no kelurahan with code ${kode}`);
    return outline;
  }
}
