import { Center, Skeleton, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useImageBlob } from '../api/queries.js';

/**
 * An owner-only image (`/images/:id`), downloaded with the session fetch (see `useImageBlob`)
 * and shown from an object URL, which is revoked when the image changes or goes away.
 */
export function useAuthImage(url: string | null): { src: string | null; failed: boolean } {
  const { data: blob, isError } = useImageBlob(url);
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!blob || !url) return undefined;
    const objectUrl = URL.createObjectURL(blob);
    setSrc(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setSrc(null);
    };
  }, [blob, url]);
  return { src, failed: url !== null && isError };
}

export function AuthImage({ url, alt, height }: { url: string; alt: string; height: number }) {
  const { src, failed } = useAuthImage(url);
  if (failed) {
    return (
      <Center h={height} bg="var(--mantine-color-default-hover)" style={{ borderRadius: 8 }}>
        <Text size="xs" c="dimmed">
          Image unavailable
        </Text>
      </Center>
    );
  }
  if (!src) return <Skeleton h={height} radius="md" />;
  return (
    <img
      src={src}
      alt={alt}
      style={{ width: '100%', height, objectFit: 'cover', objectPosition: 'center 30%', display: 'block' }}
    />
  );
}
