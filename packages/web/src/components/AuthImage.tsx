import { Center, Skeleton, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { fetchImage } from '../api/detections.js';

/**
 * An owner-only image (`/images/:id`), downloaded with the session fetch so that an expired
 * access token is refreshed like for any other call, then shown from a blob URL.
 */
export function useAuthImage(url: string | null): { src: string | null; failed: boolean } {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!url) return undefined;
    const controller = new AbortController();
    let objectUrl: string | null = null;
    setFailed(false);
    fetchImage(url, controller.signal)
      .then((blob) => {
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      })
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true);
      });
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      setSrc(null);
    };
  }, [url]);
  return { src, failed };
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
