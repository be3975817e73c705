import { useEffect, useState } from 'preact/hooks';
import { officerApi, officerPath } from './api/client';

// Photos every channel adapter keeps in the media store: read behind the officer's token.
const MEDIA_URL = /\/media\/([0-9a-f]{64})$/;

/**
 * A photo the API serves behind the token, which an <img src> cannot send: fetched and shown as
 * a blob: URL, revoked when the photo leaves the page. Photos on other hosts are only linked.
 */
export function ProtectedImage({ url: rawUrl, alt }: { url: string; alt: string }) {
  const media = MEDIA_URL.exec(rawUrl);
  const url = media ? `/v1/officer/media/${media[1]}` : rawUrl;
  const path = officerPath(url);
  const [src, setSrc] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);

  useEffect(() => {
    if (path === null) return undefined;
    let objectUrl: string | null = null;
    let current = true;
    officerApi
      .image(path)
      .then((blob) => {
        if (!current) return;
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      })
      .catch(() => setBroken(true));
    return () => {
      current = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [path]);

  if (path === null)
    return (
      <a href={url} target="_blank" rel="noopener noreferrer">
        {alt}
      </a>
    );
  return <img alt={broken ? `${alt} ✕` : alt} loading="lazy" src={src ?? undefined} />;
}
