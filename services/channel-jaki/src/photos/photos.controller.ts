import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PHOTO_STORAGE } from '../tokens';
import type { PhotoStorage } from './photo-storage';

/** Serves stored photos by their content-addressed name; the name is the only key. */
@Controller('v1/photos')
export class PhotosController {
  constructor(@Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage) {}

  @Get(':name')
  async photo(@Param('name') name: string, @Res() res: Response): Promise<void> {
    const photo = await this.storage.open(name);
    if (!photo) throw new NotFoundException('no such photo');
    res
      .status(200)
      .set({
        'content-type': photo.contentType,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, max-age=31536000, immutable',
      })
      .send(photo.bytes);
  }
}
